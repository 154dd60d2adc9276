import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service.js';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import { throttleConfig } from '../../config/throttle.config.js';
import { limiterUnavailable, rateLimited } from './rate-limited.error.js';

/** Counts failed authentications per client IP, a stricter limit than normal traffic. */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(throttleConfig.KEY) private readonly limits: ConfigType<typeof throttleConfig>,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Records one failure; throws 429 once the client IP is over its limit. */
  async recordFailure(ip: string): Promise<void> {
    const { limit, ttl } = this.limits.authFailuresPerIp;
    let result: Awaited<ReturnType<ThrottlerStorage['increment']>>;
    try {
      result = await this.storage.increment(
        `auth-failures:${ip}`,
        ttl,
        limit,
        ttl,
        'auth-failures',
      );
    } catch (error) {
      throw limiterUnavailable(error);
    }
    if (result.isBlocked) {
      this.metrics?.recordRateLimited('auth-failures');
      throw rateLimited('auth-failures', result.timeToBlockExpire);
    }
  }
}
