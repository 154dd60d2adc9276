/**
 * `load` run on the first call and its answer kept for every later one. A load that fails is
 * forgotten, so the next call tries again: for what loads late (an SDK, a client) instead of at
 * boot.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
