import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { textLimitStoreSuite } from '../../test/text-limit-store.suite.js';
import { RedisTextLimitStore } from './redis-text-limit.store.js';

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

/** Past a window's end: Redis expires a key to the millisecond, this leaves a little room. */
const EXPIRY_MARGIN_MS = 50;

describeWithRedis('RedisTextLimitStore', () => {
  // A prefix of this run's own, so runs sharing a Redis never meet; removed afterwards.
  const keyPrefix = `unit-${randomUUID()}:`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!, { keyPrefix });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(keyPrefix.length)));
    await redis.quit();
  });

  // The same cases as the memory store (memory-text-limit.store.spec.ts).
  textLimitStoreSuite(() => ({
    store: new RedisTextLimitStore(redis),
    passTime: (ms) => sleep(ms + EXPIRY_MARGIN_MS),
  }));

  it('says the refused window frees up when its key expires', async () => {
    const store = new RedisTextLimitStore(redis);
    const checks = [{ name: 'per-recipient-10min', key: randomUUID(), limit: 1, ttl: 600_000 }];
    await store.reserve(checks);

    const refused = await store.reserve(checks);

    const ttl = await redis.pttl(`text-limit:per-recipient-10min:${checks[0].key}`);
    expect(refused).toEqual({ refused: 'per-recipient-10min', retryAfterMs: expect.any(Number) });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(ttl);
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(600_000);
  });
});
