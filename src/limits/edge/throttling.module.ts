import { CommonModule } from '../../common/common.module.js';
import { Clock } from '../../common/clock.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { RedisModule } from '../../redis/redis.module.js';
import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerModule, type ThrottlerOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { throttleConfig } from '../../config/throttle.config.js';
import { REDIS_CLIENT } from '../../redis/redis.module.js';
import { AuthFailureLimiter } from './auth-failure.limiter.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { Lockouts, MemoryLockouts, RedisLockouts } from './lockouts.js';
import { SendThrottlerGuard } from './send-throttler.guard.js';
import { apiKeyNameOf } from './trackers.js';

/** Limits are shared by name and tracker across every route and instance, not per handler. */
const sharedKey = (_: unknown, tracker: string, name: string) => `${name}:${tracker}`;

/** Loaded only with Redis configured, as ioredis itself is (src/redis/redis.module.ts). */
async function redisStorage(redis: Redis): Promise<ThrottlerStorage> {
  const { ThrottlerStorageRedisService } = await import('@nest-lab/throttler-storage-redis');
  return new ThrottlerStorageRedisService(redis);
}

@Module({
  imports: [
    CommonModule,
    RedisModule,
    MetricsCoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [throttleConfig.KEY, REDIS_CLIENT],
      useFactory: async (limits: ConfigType<typeof throttleConfig>, redis: Redis | null) => {
        // Only the request rate per key lives here, at the edge; the limits that count texts
        // are spent by the send pipeline (src/limits/).
        const throttlers: ThrottlerOptions[] = [
          { name: 'per-key', ...limits.perKey, getTracker: (req) => apiKeyNameOf(req) },
        ];
        return {
          throttlers: throttlers.map((t) => ({ ...t, generateKey: sharedKey })),
          storage: redis ? await redisStorage(redis) : new FixedWindowThrottlerStorage(),
        };
      },
    }),
  ],
  providers: [
    {
      provide: Lockouts,
      inject: [REDIS_CLIENT, Clock],
      useFactory: (redis: Redis | null, clock: Clock): Lockouts =>
        redis ? new RedisLockouts(redis) : new MemoryLockouts(clock),
    },
    AuthFailureLimiter,
    SendThrottlerGuard,
  ],
  exports: [AuthFailureLimiter, SendThrottlerGuard],
})
export class ThrottlingModule {}
