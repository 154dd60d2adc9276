import { textLimitStoreSuite } from '../../test/text-limit-store.suite.js';
import { MemoryTextLimitStore } from './memory-text-limit.store.js';

const MINUTE = 60_000;

describe('MemoryTextLimitStore', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = Date.UTC(2030, 0, 15, 12);
  });

  // The same cases as the Redis store (redis-text-limit.store.spec.ts).
  textLimitStoreSuite(() => ({
    store: new MemoryTextLimitStore(clock),
    passTime: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  }));

  it('says the refused window frees up when it ends, counted from its first text', async () => {
    const store = new MemoryTextLimitStore(clock);
    const checks = [{ name: 'per-recipient-10min', key: 'r', limit: 2, ttl: 10 * MINUTE }];
    await store.reserve(checks);
    now += 3 * MINUTE;
    await store.reserve(checks);
    now += 1 * MINUTE;

    expect(await store.reserve(checks)).toEqual({
      refused: 'per-recipient-10min',
      retryAfterMs: 6 * MINUTE,
    });
  });

  it('is still refusing a moment before the window ends', async () => {
    const store = new MemoryTextLimitStore(clock);
    const checks = [{ name: 'daily-send-cap', key: 'service', limit: 1, ttl: MINUTE }];
    await store.reserve(checks);
    now += MINUTE - 1;

    expect(await store.reserve(checks)).toEqual({ refused: 'daily-send-cap', retryAfterMs: 1 });
  });
});
