import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  ThrottlerGuard,
  ThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import { DomainError } from '../common/errors/domain-error.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { appConfig } from '../config/app.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ConversationRecipientLimiter } from './conversation-recipient.limiter.js';
import { limiterUnavailable, rateLimited } from './rate-limited.error.js';
import { conversationOf, isSendRoute, recipientHashOf } from './trackers.js';

/**
 * The named limits of ThrottlingModule, answered in the error contract. Runs after the
 * AuthGuard (it is a route guard), so the per-key limit knows the key's name.
 */
@Injectable()
export class SendThrottlerGuard extends ThrottlerGuard {
  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(ThrottlerStorage) storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly conversations: ConversationRecipientLimiter,
    private readonly hasher: RecipientHasher,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly metrics: MetricsService,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      await super.canActivate(context);
    } catch (error) {
      throw error instanceof DomainError ? error : limiterUnavailable(error);
    }
    if (isSendRoute(context)) {
      const req = context.switchToHttp().getRequest<Record<string, unknown>>();
      const conversation = conversationOf(req);
      const recipient = recipientHashOf(req, this.hasher, this.app.defaultCountry);
      if (conversation && recipient) {
        await this.conversations.admit(conversation, recipient).catch((error: unknown) => {
          if (error instanceof DomainError && error.code === 'RATE_LIMITED') {
            this.metrics.recordRateLimited('conversation-recipients');
          }
          throw error;
        });
      }
    }
    return true;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const limit = detail.key.slice(0, detail.key.indexOf(':'));
    this.metrics.recordRateLimited(limit);
    throw rateLimited(limit, detail.timeToBlockExpire);
  }
}
