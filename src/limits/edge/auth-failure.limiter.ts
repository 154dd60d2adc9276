import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service.js';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import { throttleConfig } from '../../config/throttle.config.js';
import { Lockouts } from './lockouts.js';
import { limiterUnavailable, rateLimited } from './rate-limited.error.js';
import { sourceOf } from '../../common/http/client-source.js';

const LIMIT_NAME = 'auth-failures';

/**
 * Counts failed authentications per client address, a stricter limit than normal traffic.
 * An address that reaches it is locked out for the period, whatever key it sends next.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly lockouts: Lockouts,
    @Inject(throttleConfig.KEY) private readonly limits: ConfigType<typeof throttleConfig>,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Throws 429 while the address is locked out; checked before any key is looked up. */
  async refuseIfLockedOut(ip: string | undefined): Promise<void> {
    let remainingMs: number;
    try {
      remainingMs = await this.lockouts.remainingMs(sourceOf(ip));
    } catch (error) {
      throw limiterUnavailable(error);
    }
    if (remainingMs > 0) this.refuse(remainingMs / 1000);
  }

  /** Records one failure; the one that reaches the limit locks the address out. */
  async recordFailure(ip: string | undefined): Promise<void> {
    const address = sourceOf(ip);
    const { limit, ttl } = this.limits.authFailuresPerIp;
    let result: Awaited<ReturnType<ThrottlerStorage['increment']>>;
    try {
      result = await this.storage.increment(
        `${LIMIT_NAME}:${address}`,
        ttl,
        limit,
        ttl,
        LIMIT_NAME,
      );
      if (result.totalHits >= limit) await this.lockouts.lock(address, ttl);
    } catch (error) {
      throw limiterUnavailable(error);
    }
    // Failures that raced past the lock check.
    if (result.isBlocked) this.refuse(result.timeToBlockExpire);
  }

  private refuse(retryAfterSeconds: number): never {
    this.metrics?.recordRateLimited(LIMIT_NAME);
    throw rateLimited(LIMIT_NAME, retryAfterSeconds);
  }
}
