import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { FixedWindowThrottlerStorage } from '../src/limits/edge/fixed-window.storage.js';

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

// One instance without Redis and many with it must count alike: the same hits get the same
// answers from the in-process store and from the Redis store's script.
describeWithRedis('rate-limit stores: in-process and Redis count alike (integration)', () => {
  let redis: Redis;
  let redisStore: ThrottlerStorageRedisService;
  const prefix = `test-${randomBytes(6).toString('hex')}`;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!);
    redisStore = new ThrottlerStorageRedisService(redis);
  });
  afterAll(async () => {
    const keys = await redis.keys(`{${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it.each([
    ['a per-minute limit of 3, blocked for the window', 3, 60_000, 60_000],
    ['a day limit of 1, blocked for 10 minutes', 1, 86_400_000, 600_000],
  ])('%s', async (_case, limit, ttl, block) => {
    const memoryStore = new FixedWindowThrottlerStorage();
    const key = `${prefix}:${limit}`;
    const answers = { memory: [] as unknown[], redis: [] as unknown[] };
    for (let i = 0; i < limit + 3; i++) {
      answers.memory.push(await memoryStore.increment(key, ttl, limit, block, 'per-key'));
      answers.redis.push(await redisStore.increment(key, ttl, limit, block, 'per-key'));
    }
    expect(answers.memory).toEqual(answers.redis);
    expect(answers.redis.at(-1)).toMatchObject({ totalHits: limit + 3, isBlocked: true });
  });
});
