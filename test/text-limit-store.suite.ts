import { randomUUID } from 'node:crypto';
import type { LimitCheck, ReserveResult, TextLimitStore } from '../src/limits/text-limit.store.js';

export interface StoreUnderTest {
  store: TextLimitStore;
  /** Lets `ms` pass for the store: the memory store's clock, or a real wait for Redis. */
  passTime(ms: number): Promise<void>;
}

/** Short, so a real wait on Redis stays short; the memory store just moves its clock. */
const SHORT_TTL = 300;
const MINUTE = 60_000;

function addedOf(result: ReserveResult): boolean[] {
  if ('refused' in result) throw new Error(`expected a reservation, refused by ${result.refused}`);
  return result.added;
}

/**
 * What every TextLimitStore does, run against the memory store and against Redis.
 * `open` is called before each case.
 */
export function textLimitStoreSuite(open: () => StoreUnderTest): void {
  let store: TextLimitStore;
  let counter: (name: string, limit: number, ttl?: number) => LimitCheck;
  let set: (name: string, limit: number, member: string, ttl?: number) => LimitCheck;
  let passTime: (ms: number) => Promise<void>;

  beforeEach(() => {
    const opened = open();
    store = opened.store;
    passTime = opened.passTime;
    // A key of its own for each case: no case sees another's counts.
    const key = randomUUID();
    counter = (name, limit, ttl = MINUTE) => ({ name, key, limit, ttl });
    set = (name, limit, member, ttl = MINUTE) => ({ name, key, limit, ttl, member });
  });

  it('spends up to the limit, then refuses naming the limit and when it frees up', async () => {
    const checks = [counter('per-recipient-10min', 2)];

    expect(await store.reserve(checks)).toEqual({ added: [true] });
    expect(await store.reserve(checks)).toEqual({ added: [true] });
    const refused = await store.reserve(checks);

    expect(refused).toEqual({ refused: 'per-recipient-10min', retryAfterMs: expect.any(Number) });
    const { retryAfterMs } = refused as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(MINUTE);
  });

  it('spends all the limits or none: a refusal by one leaves the others as they were', async () => {
    const roomy = counter('per-recipient-day', 2);
    const full = counter('per-conversation', 1);
    addedOf(await store.reserve([roomy, full]));

    expect(await store.reserve([roomy, full])).toMatchObject({ refused: 'per-conversation' });

    // The refused reservation spent nothing of the roomy limit: one text is still left in it.
    expect(await store.reserve([roomy])).toEqual({ added: [true] });
    expect(await store.reserve([roomy])).toMatchObject({ refused: 'per-recipient-day' });
  });

  it('counts a set member once, and refuses a new member once the set is full', async () => {
    const recipients = (member: string) => [set('conversation-recipients', 2, member)];

    expect(await store.reserve(recipients('a'))).toEqual({ added: [true] });
    expect(await store.reserve(recipients('a'))).toEqual({ added: [false] });
    expect(await store.reserve(recipients('b'))).toEqual({ added: [true] });

    expect(await store.reserve(recipients('c'))).toMatchObject({
      refused: 'conversation-recipients',
    });
    expect(await store.reserve(recipients('a'))).toEqual({ added: [false] });
  });

  it('gives back exactly what was spent: a counter, and only a member that was added', async () => {
    const texts = counter('per-conversation', 2);
    const first = [texts, set('conversation-recipients', 1, 'a')];
    const spentFirst = addedOf(await store.reserve(first));
    const spentAgain = addedOf(await store.reserve(first));
    expect(spentAgain).toEqual([true, false]);

    await store.release(first, spentAgain);

    // "a" was already there before the second text, so it stays and the set is still full.
    const other = [texts, set('conversation-recipients', 1, 'b')];
    expect(await store.reserve(other)).toMatchObject({ refused: 'conversation-recipients' });

    await store.release(first, spentFirst);

    // Both texts given back: "b" takes the free place, and the counter has room for it too.
    expect(await store.reserve(other)).toEqual({ added: [true, true] });
    expect(await store.reserve([texts])).toEqual({ added: [true] });
    expect(await store.reserve([texts])).toMatchObject({ refused: 'per-conversation' });
  });

  it('gives back nothing when nothing was spent', async () => {
    const checks = [counter('per-recipient-10min', 1)];
    addedOf(await store.reserve(checks));

    await store.release(checks, [false]);

    expect(await store.reserve(checks)).toMatchObject({ refused: 'per-recipient-10min' });
  });

  it('starts afresh once the window has passed', async () => {
    const texts = [counter('per-recipient-10min', 1, SHORT_TTL)];
    const recipients = (member: string) => [set('conversation-recipients', 1, member, SHORT_TTL)];
    addedOf(await store.reserve(texts));
    addedOf(await store.reserve(recipients('a')));
    expect(await store.reserve(texts)).toMatchObject({ refused: 'per-recipient-10min' });
    expect(await store.reserve(recipients('b'))).toMatchObject({
      refused: 'conversation-recipients',
    });

    await passTime(SHORT_TTL);

    expect(await store.reserve(texts)).toEqual({ added: [true] });
    expect(await store.reserve(recipients('b'))).toEqual({ added: [true] });
  });
}
