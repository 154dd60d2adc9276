import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { throttleConfig } from '../config/throttle.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
import { limiterUnavailable, rateLimited } from './edge/rate-limited.error.js';
import { MemoryTextLimitStore } from './memory-text-limit.store.js';
import { RedisTextLimitStore } from './redis-text-limit.store.js';
import type { LimitCheck, TextLimitStore } from './text-limit.store.js';

/** The text being accepted: whose limits it spends. */
export interface TextToCount {
  recipientHash: string;
  conversationId?: string | null;
}

/** Spent limits, given back when the text they were spent on is not accepted after all. */
export interface Reservation {
  release(): Promise<void>;
}

/**
 * The limits that count texts: per recipient (10 minutes, day), per conversation (texts and
 * distinct numbers) and the service's daily cap. All are checked and spent in one atomic step,
 * and only for a text accepted for sending: a replay or a refused request spends nothing.
 */
@Injectable()
export class TextLimits {
  private readonly store: TextLimitStore;

  constructor(
    @Inject(throttleConfig.KEY) private readonly limits: ConfigType<typeof throttleConfig>,
    @Inject(REDIS_CLIENT) redis: Redis | null,
    private readonly metrics: MetricsService,
  ) {
    this.store = redis ? new RedisTextLimitStore(redis) : new MemoryTextLimitStore();
  }

  /** Spends one text of every limit, or none and throws 429 naming the limit that is full. */
  async reserve(text: TextToCount): Promise<Reservation> {
    const checks = this.checksFor(text);
    let result: Awaited<ReturnType<TextLimitStore['reserve']>>;
    try {
      result = await this.store.reserve(checks);
    } catch (error) {
      throw limiterUnavailable(error);
    }
    if ('refused' in result) {
      this.metrics.recordRateLimited(result.refused);
      throw rateLimited(result.refused, result.retryAfterMs / 1000);
    }
    const { added } = result;
    return {
      release: () => this.store.release(checks, added).catch(() => undefined),
    };
  }

  private checksFor(text: TextToCount): LimitCheck[] {
    const { perRecipientShort, perRecipientDay, perConversation, conversationRecipients } =
      this.limits;
    const checks: LimitCheck[] = [
      { name: 'per-recipient-10min', key: text.recipientHash, ...perRecipientShort },
      { name: 'per-recipient-day', key: text.recipientHash, ...perRecipientDay },
    ];
    if (text.conversationId) {
      checks.push(
        { name: 'per-conversation', key: text.conversationId, ...perConversation },
        {
          name: 'conversation-recipients',
          key: text.conversationId,
          member: text.recipientHash,
          ...conversationRecipients,
        },
      );
    }
    checks.push({ name: 'daily-send-cap', key: 'service', ...this.limits.dailySendCap });
    return checks;
  }
}
