import {
  storeKey,
  type LimitCheck,
  type ReserveResult,
  type TextLimitStore,
} from './text-limit.store.js';

interface Window {
  count: number;
  members?: Set<string>;
  expiresAt: number;
}

const SWEEP_EVERY = 1_000;

/** Fixed windows in this process, for a single instance without REDIS_URL. */
export class MemoryTextLimitStore implements TextLimitStore {
  private readonly windows = new Map<string, Window>();
  private reservesSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  // Synchronous inside: nothing else runs between the checks and the spending.
  reserve(checks: LimitCheck[]): Promise<ReserveResult> {
    const now = this.now();
    if (++this.reservesSinceSweep >= SWEEP_EVERY) this.sweep(now);
    const windows = checks.map((check) => this.windowOf(check, now));
    for (const [i, check] of checks.entries()) {
      const window = windows[i];
      if (check.member !== undefined && window.members?.has(check.member)) continue;
      if (window.count >= check.limit) {
        return Promise.resolve({ refused: check.name, retryAfterMs: window.expiresAt - now });
      }
    }
    const added = checks.map((check, i) => {
      const window = windows[i];
      if (check.member !== undefined) {
        if (window.members?.has(check.member)) return false;
        (window.members ??= new Set()).add(check.member);
      }
      window.count += 1;
      this.windows.set(storeKey(check), window);
      return true;
    });
    return Promise.resolve({ added });
  }

  release(checks: LimitCheck[], added: boolean[]): Promise<void> {
    for (const [i, check] of checks.entries()) {
      const window = this.windows.get(storeKey(check));
      if (!added[i] || !window) continue;
      window.count = Math.max(0, window.count - 1);
      if (check.member !== undefined) window.members?.delete(check.member);
    }
    return Promise.resolve();
  }

  private windowOf(check: LimitCheck, now: number): Window {
    const existing = this.windows.get(storeKey(check));
    if (existing && existing.expiresAt > now) return existing;
    return { count: 0, expiresAt: now + check.ttl };
  }

  private sweep(now: number): void {
    this.reservesSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
  }
}
