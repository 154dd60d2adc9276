import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { throttleConfig } from '../config/throttle.config.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
import { limiterUnavailable, rateLimited } from './rate-limited.error.js';

const MAX_TRACKED_CONVERSATIONS = 100_000;

/**
 * How many distinct numbers one conversation may text. A counter cannot tell a repeat from a
 * new number, so this keeps the set itself: a Redis set shared by instances, or a map here.
 */
@Injectable()
export class ConversationRecipientLimiter {
  private readonly local = new Map<string, { recipients: Set<string>; expiresAt: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(throttleConfig.KEY) private readonly limits: ConfigType<typeof throttleConfig>,
  ) {}

  async admit(conversationId: string, recipientHash: string): Promise<void> {
    const { limit, ttl } = this.limits.conversationRecipients;
    const admitted = this.redis
      ? await this.admitShared(conversationId, recipientHash, limit, ttl)
      : this.admitLocal(conversationId, recipientHash, limit, ttl);
    if (!admitted) throw rateLimited('conversation-recipients', ttl / 1000);
  }

  // One round trip, atomic: add only while the set is below the limit or already holds the number.
  private async admitShared(
    conversation: string,
    recipient: string,
    limit: number,
    ttl: number,
  ): Promise<boolean> {
    const script = `
      if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
      if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
      redis.call('SADD', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      return 1`;
    try {
      const result = await this.redis!.eval(
        script,
        1,
        `conversation-recipients:${conversation}`,
        recipient,
        limit,
        ttl,
      );
      return result === 1;
    } catch (error) {
      throw limiterUnavailable(error);
    }
  }

  private admitLocal(conversation: string, recipient: string, limit: number, ttl: number): boolean {
    const now = Date.now();
    let entry = this.local.get(conversation);
    if (!entry || entry.expiresAt <= now) {
      if (this.local.size >= MAX_TRACKED_CONVERSATIONS) this.evictExpired(now);
      entry = { recipients: new Set(), expiresAt: now + ttl };
      this.local.set(conversation, entry);
    }
    if (entry.recipients.has(recipient)) return true;
    if (entry.recipients.size >= limit) return false;
    entry.recipients.add(recipient);
    return true;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.local) if (entry.expiresAt <= now) this.local.delete(key);
    // Still full: drop the oldest rather than grow without bound.
    if (this.local.size >= MAX_TRACKED_CONVERSATIONS)
      this.local.delete(this.local.keys().next().value as string);
  }
}
