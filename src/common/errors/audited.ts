/** Errors whose outcome is already in the audit log, so the exception filter does not add it twice. */
const audited = new WeakSet<object>();

export function markAudited<T extends object>(error: T): T {
  audited.add(error);
  return error;
}

export function isAudited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && audited.has(error);
}
