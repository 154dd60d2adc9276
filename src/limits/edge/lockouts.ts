import type { Redis } from 'ioredis';
import type { Clock } from '../../common/clock.js';

/**
 * Client addresses locked out for failed keys, and until when. The failure count lives in the
 * throttler storage, which can only count; this is what the AuthGuard reads before it looks a
 * key up, without counting anything.
 */
export abstract class Lockouts {
  abstract lock(address: string, ms: number): Promise<void>;
  /** Milliseconds the address stays locked out; 0 when it is not. */
  abstract remainingMs(address: string): Promise<number>;
}

/** One instance, REDIS_URL unset. */
export class MemoryLockouts extends Lockouts {
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: Clock) {
    super();
  }

  lock(address: string, ms: number): Promise<void> {
    const now = this.clock.now().getTime();
    // Locks are rare (one per address per period past its failures): sweep as they come.
    for (const [locked, until] of this.until) if (until <= now) this.until.delete(locked);
    this.until.set(address, now + ms);
    return Promise.resolve();
  }

  remainingMs(address: string): Promise<number> {
    const until = this.until.get(address) ?? 0;
    return Promise.resolve(Math.max(0, until - this.clock.now().getTime()));
  }
}

/** Shared by every instance; Redis expires the key when the lock ends. */
export class RedisLockouts extends Lockouts {
  constructor(private readonly redis: Redis) {
    super();
  }

  async lock(address: string, ms: number): Promise<void> {
    await this.redis.set(keyOf(address), '1', 'PX', ms);
  }

  async remainingMs(address: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(keyOf(address)));
  }
}

const keyOf = (address: string) => `auth-lockout:${address}`;
