import { createHmac } from 'node:crypto';
import { RecipientHasher } from './recipient-hasher.js';

function hasherWithKey(hashKey: string): RecipientHasher {
  return new RecipientHasher({ hashKey } as ConstructorParameters<typeof RecipientHasher>[0]);
}

const hmac = (key: string, e164: string) => createHmac('sha256', key).update(e164).digest('hex');

describe('RecipientHasher', () => {
  it('is HMAC-SHA-256 of the E.164 number under AUDIT_HASH_KEY', () => {
    expect(hasherWithKey('key-one').hash('+12025550143')).toBe(hmac('key-one', '+12025550143'));
  });

  it('gives another hash under another key', () => {
    expect(hasherWithKey('key-one').hash('+12025550143')).not.toBe(
      hasherWithKey('key-two').hash('+12025550143'),
    );
  });

  it('answers a number it remembers as it answered the first time', () => {
    const hasher = hasherWithKey('key-one');
    const numbers = Array.from({ length: 200 }, (_, i) => `+1202555${String(i).padStart(4, '0')}`);
    for (const e164 of numbers) hasher.hash(e164);
    // All 200 are still remembered: every answer now comes from memory.
    for (const e164 of [...numbers].reverse()) {
      expect([e164, hasher.hash(e164)]).toEqual([e164, hmac('key-one', e164)]);
    }
  });

  it('answers a number it has forgotten, after more than it remembers', () => {
    const hasher = hasherWithKey('key-one');
    const numbers = Array.from({ length: 600 }, (_, i) => `+1202555${String(i).padStart(4, '0')}`);
    for (const e164 of numbers) hasher.hash(e164);
    for (const e164 of numbers.slice(0, 300)) {
      expect([e164, hasher.hash(e164)]).toEqual([e164, hmac('key-one', e164)]);
    }
  });
});
