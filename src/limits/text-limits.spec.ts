import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { throttleConfig } from '../config/throttle.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { TextLimits } from './text-limits.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function config(
  overrides: Partial<ConfigType<typeof throttleConfig>> = {},
): ConfigType<typeof throttleConfig> {
  return {
    perKey: { limit: 100, ttl: MINUTE },
    perRecipientShort: { limit: 5, ttl: 10 * MINUTE },
    perRecipientDay: { limit: 20, ttl: DAY },
    perConversation: { limit: 3, ttl: DAY },
    conversationRecipients: { limit: 2, ttl: DAY },
    authFailuresPerIp: { limit: 10, ttl: MINUTE },
    dailySendCap: { limit: 1000, ttl: DAY },
    ...overrides,
  };
}

/** A Redis whose scripts fail, as when the shared store cannot be reached. */
function unreachableRedis(): Redis {
  return { eval: () => Promise.reject(new Error('connect ECONNREFUSED')) } as unknown as Redis;
}

describe('TextLimits', () => {
  let metrics: MetricsService;

  beforeEach(() => {
    metrics = new MetricsService();
  });

  const limitsWith = (overrides: Partial<ConfigType<typeof throttleConfig>> = {}) =>
    new TextLimits(config(overrides), null, metrics);

  it('refuses 429 RATE_LIMITED naming the full limit, with a Retry-After within its window', async () => {
    const limits = limitsWith({ perRecipientShort: { limit: 1, ttl: 10 * MINUTE } });
    await limits.reserve({ recipientHash: 'patient' });

    const refusal = limits.reserve({ recipientHash: 'patient' });

    await expect(refusal).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      details: { limit: 'per-recipient-10min' },
    });
    const seconds = Number(
      ((await refusal.catch((e: unknown) => e)) as { headers: Record<string, string> }).headers[
        'Retry-After'
      ],
    );
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(600);
  });

  it('counts the refusal by limit in the metrics', async () => {
    const limits = limitsWith({ dailySendCap: { limit: 1, ttl: DAY } });
    await limits.reserve({ recipientHash: 'a' });

    await expect(limits.reserve({ recipientHash: 'b' })).rejects.toMatchObject({
      details: { limit: 'daily-send-cap' },
    });

    expect(await metrics.render()).toContain(
      'rate_limit_rejections_total{limit="daily-send-cap"} 1',
    );
  });

  it('spends the per-recipient limits for each number separately', async () => {
    const limits = limitsWith({ perRecipientShort: { limit: 1, ttl: 10 * MINUTE } });
    await limits.reserve({ recipientHash: 'a' });

    await expect(limits.reserve({ recipientHash: 'b' })).resolves.toBeDefined();
  });

  it('keeps the distinct-numbers limit per conversation', async () => {
    const limits = limitsWith({ conversationRecipients: { limit: 1, ttl: DAY } });
    await limits.reserve({ recipientHash: 'a', conversationId: 'conv-1' });

    await expect(
      limits.reserve({ recipientHash: 'b', conversationId: 'conv-1' }),
    ).rejects.toMatchObject({ details: { limit: 'conversation-recipients' } });
    await expect(
      limits.reserve({ recipientHash: 'b', conversationId: 'conv-2' }),
    ).resolves.toBeDefined();
  });

  it('never counts texts without a conversation as one conversation', async () => {
    const limits = limitsWith({
      perConversation: { limit: 1, ttl: DAY },
      conversationRecipients: { limit: 1, ttl: DAY },
    });
    await limits.reserve({ recipientHash: 'a' });

    await expect(limits.reserve({ recipientHash: 'b' })).resolves.toBeDefined();
  });

  it('counts texts per conversation', async () => {
    const limits = limitsWith({ perConversation: { limit: 2, ttl: DAY } });
    await limits.reserve({ recipientHash: 'a', conversationId: 'conv-1' });
    await limits.reserve({ recipientHash: 'a', conversationId: 'conv-1' });

    await expect(
      limits.reserve({ recipientHash: 'a', conversationId: 'conv-1' }),
    ).rejects.toMatchObject({ details: { limit: 'per-conversation' } });
  });

  it('gives a released reservation back', async () => {
    const limits = limitsWith({ perRecipientShort: { limit: 1, ttl: 10 * MINUTE } });
    const reservation = await limits.reserve({ recipientHash: 'a', conversationId: 'conv-1' });

    await reservation.release();

    await expect(
      limits.reserve({ recipientHash: 'a', conversationId: 'conv-1' }),
    ).resolves.toBeDefined();
  });

  it('refuses 503 RATE_LIMITER_UNAVAILABLE when the store cannot be reached, rather than sending unthrottled', async () => {
    const limits = new TextLimits(config(), unreachableRedis(), metrics);

    await expect(limits.reserve({ recipientHash: 'a' })).rejects.toMatchObject({
      code: 'RATE_LIMITER_UNAVAILABLE',
      status: 503,
      retryable: true,
    });
  });

  it('releases quietly when the store cannot be reached: the text was not sent anyway', async () => {
    let calls = 0;
    const flaky = {
      eval: () =>
        ++calls === 1 ? Promise.resolve([1, 1, 1, 1]) : Promise.reject(new Error('gone')),
    } as unknown as Redis;
    const limits = new TextLimits(config(), flaky, metrics);
    const reservation = await limits.reserve({ recipientHash: 'a' });

    await expect(reservation.release()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
