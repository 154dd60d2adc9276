import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';

const MINUTE = 60_000;

describe('FixedWindowThrottlerStorage', () => {
  let now: number;
  let storage: FixedWindowThrottlerStorage;
  const hit = (key = 'per-key:voice-agent', limit = 3, ttl = MINUTE, block = MINUTE) =>
    storage.increment(key, ttl, limit, block, 'per-key');

  beforeEach(() => {
    now = 1_764_000_000_000;
    storage = new FixedWindowThrottlerStorage(() => now);
  });

  it('counts hits in the window and says when it ends, in seconds', async () => {
    await hit();
    now += 20_500;
    expect(await hit()).toEqual({
      totalHits: 2,
      timeToExpire: 40,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('blocks the hit over the limit for the block duration', async () => {
    for (let i = 0; i < 3; i++) expect((await hit()).isBlocked).toBe(false);
    now += 1_000;
    expect(await hit(undefined, 3, MINUTE, 30_000)).toEqual({
      totalHits: 4,
      timeToExpire: 59,
      isBlocked: true,
      timeToBlockExpire: 30,
    });
  });

  it('starts a new window once the old one ends', async () => {
    for (let i = 0; i < 3; i++) await hit();
    now += MINUTE;
    expect(await hit()).toMatchObject({ totalHits: 1, timeToExpire: 60, isBlocked: false });
  });

  it('keeps a block past the end of its window, and lifts it when the block ends', async () => {
    for (let i = 0; i < 4; i++) await hit(undefined, 3, 10_000, MINUTE);
    now += 30_000;
    expect(await hit(undefined, 3, 10_000, MINUTE)).toMatchObject({
      totalHits: 1,
      isBlocked: true,
      timeToBlockExpire: 30,
    });
    now += 30_000;
    expect(await hit(undefined, 3, 10_000, MINUTE)).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('counts each key and each throttler apart', async () => {
    for (let i = 0; i < 4; i++) await hit('per-key:a');
    expect(await hit('per-key:b')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await storage.increment('per-key:a', MINUTE, 3, MINUTE, 'other')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('drops ended windows and blocks as it goes, so idle keys do not pile up', async () => {
    for (let i = 0; i < 500; i++) await hit(`per-recipient:${i}`, 0);
    expect(storage.size).toBe(500);
    now += MINUTE;
    for (let i = 0; i < 1000; i++) await hit('per-key:busy', 10_000);
    expect(storage.size).toBe(1);
  });
});
