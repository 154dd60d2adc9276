/**
 * One limit to check for a text. A counter by default; with `member`, a set that admits a
 * member it already holds and refuses a new one once it holds `limit` members.
 */
export interface LimitCheck {
  name: string;
  key: string;
  limit: number;
  /** The window, in milliseconds, from the first text counted in it. */
  ttl: number;
  member?: string;
}

export type ReserveResult =
  | { refused: string; retryAfterMs: number }
  /** `added[i]`: whether checks[i] was spent (a set that already held the member was not). */
  | { added: boolean[] };

/** Where the counts live: this process, or Redis for every instance. */
export interface TextLimitStore {
  /** All checks pass and are spent, or none is spent. */
  reserve(checks: LimitCheck[]): Promise<ReserveResult>;
  /** Gives back what reserve() spent. */
  release(checks: LimitCheck[], added: boolean[]): Promise<void>;
}

export function storeKey(check: LimitCheck): string {
  return `text-limit:${check.name}:${check.key}`;
}
