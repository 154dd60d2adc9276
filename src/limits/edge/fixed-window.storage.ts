import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Expired windows and blocks are dropped every this many increments. */
const SWEEP_EVERY = 1000;

/**
 * The in-process store for the rate limits when REDIS_URL is unset: one counter per key and
 * window, the same fixed-window rules as the Redis store's script (@nest-lab/throttler-storage-
 * redis), so one instance and many count alike. @nestjs/throttler's own store keeps a timestamp
 * per hit and filters them all on every hit, which made a day limit raised to tens of thousands
 * cost milliseconds per send (bench/RESULTS.md).
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, { hits: number; expiresAt: number }>();
  private readonly blocks = new Map<string, number>();
  private untilSweep = SWEEP_EVERY;

  constructor(private readonly now: () => number = Date.now) {}

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    if (--this.untilSweep <= 0) this.sweep(now);
    const id = `${key}:${throttlerName}`;

    let window = this.windows.get(id);
    if (!window || window.expiresAt <= now) {
      window = { hits: 0, expiresAt: now + ttl };
      this.windows.set(id, window);
    }
    window.hits += 1;

    let blockedUntil = this.blocks.get(id);
    if (blockedUntil !== undefined && blockedUntil <= now) {
      this.blocks.delete(id);
      blockedUntil = undefined;
    }
    if (blockedUntil === undefined && window.hits > limit) {
      blockedUntil = now + blockDuration;
      this.blocks.set(id, blockedUntil);
    }
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked: blockedUntil !== undefined,
      timeToBlockExpire: blockedUntil === undefined ? 0 : Math.ceil((blockedUntil - now) / 1000),
    });
  }

  /** Keys held, live or expired but not yet swept. */
  get size(): number {
    return new Set([...this.windows.keys(), ...this.blocks.keys()]).size;
  }

  private sweep(now: number): void {
    this.untilSweep = SWEEP_EVERY;
    for (const [id, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(id);
    for (const [id, until] of this.blocks) if (until <= now) this.blocks.delete(id);
  }
}
