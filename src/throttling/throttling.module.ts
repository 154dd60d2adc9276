import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { appConfig } from '../config/app.config.js';
import { throttleConfig } from '../config/throttle.config.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
import { AuthFailureLimiter } from './auth-failure.limiter.js';
import { ConversationRecipientLimiter } from './conversation-recipient.limiter.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { SendThrottlerGuard } from './send-throttler.guard.js';
import { apiKeyNameOf, conversationOf, isSendRoute, recipientHashOf } from './trackers.js';

/** Limits are shared by name and tracker across every route and instance, not per handler. */
const sharedKey = (_: unknown, tracker: string, name: string) => `${name}:${tracker}`;

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [throttleConfig.KEY, appConfig.KEY, RecipientHasher, REDIS_CLIENT],
      useFactory: (
        limits: ConfigType<typeof throttleConfig>,
        app: ConfigType<typeof appConfig>,
        hasher: RecipientHasher,
        redis: Redis | null,
      ) => {
        const recipient = (req: Record<string, unknown>) =>
          recipientHashOf(req, hasher, app.defaultCountry) ?? 'unreadable';
        const recipientSkip = (context: Parameters<NonNullable<ThrottlerOptions['skipIf']>>[0]) =>
          !isSendRoute(context) ||
          recipientHashOf(context.switchToHttp().getRequest(), hasher, app.defaultCountry) === null;
        const throttlers: ThrottlerOptions[] = [
          { name: 'per-key', ...limits.perKey, getTracker: (req) => apiKeyNameOf(req) },
          {
            name: 'per-recipient-10min',
            ...limits.perRecipientShort,
            getTracker: recipient,
            skipIf: recipientSkip,
          },
          {
            name: 'per-recipient-day',
            ...limits.perRecipientDay,
            getTracker: recipient,
            skipIf: recipientSkip,
          },
          {
            name: 'per-conversation',
            ...limits.perConversation,
            getTracker: (req) => conversationOf(req) ?? 'none',
            skipIf: (context) =>
              !isSendRoute(context) || !conversationOf(context.switchToHttp().getRequest()),
          },
          {
            name: 'daily-send-cap',
            ...limits.dailySendCap,
            getTracker: () => 'service',
            skipIf: (context) => !isSendRoute(context),
          },
        ];
        return {
          throttlers: throttlers.map((t) => ({ ...t, generateKey: sharedKey })),
          storage: redis
            ? new ThrottlerStorageRedisService(redis)
            : new FixedWindowThrottlerStorage(),
        };
      },
    }),
  ],
  providers: [AuthFailureLimiter, ConversationRecipientLimiter, SendThrottlerGuard],
  exports: [AuthFailureLimiter, ConversationRecipientLimiter, SendThrottlerGuard],
})
export class ThrottlingModule {}
