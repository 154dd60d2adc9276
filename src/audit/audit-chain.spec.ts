import { createHash, createHmac } from 'node:crypto';
import { chainKeyOf } from '../config/audit-chain.config.js';
import {
  canonicalEvent,
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  type ChainedEvent,
} from './audit-chain.js';
import { ChainKeyring } from './chain-keys.js';

const KEY = chainKeyOf('audit-chain-spec-current-key-0123456789');
const OLD_KEY = chainKeyOf('audit-chain-spec-retired-key-0123456789');
const KEYS = new ChainKeyring(KEY, [OLD_KEY]);

const EVENT: ChainedEvent = {
  seq: 7,
  at: new Date('2026-11-25T10:15:00.123Z'),
  actor: 'voice-agent',
  action: 'sms.sent',
  messageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  recipientMasked: '***-***-0143',
  recipientHash: 'a'.repeat(64),
  outcome: 'success',
  requestId: 'req-1',
  conversationId: null,
  details: '{"segments":1,"tool":"send_sms"}',
  prevHash: GENESIS_HASH,
  keyId: KEY.id,
};
const UNKEYED: ChainedEvent = { ...EVENT, keyId: null };

describe('canonical serialization', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever order the fields were set in', () => {
    const reordered = Object.fromEntries(
      Object.entries(EVENT).reverse(),
    ) as unknown as ChainedEvent;
    expect(canonicalEvent(reordered)).toBe(canonicalEvent(EVENT));
  });

  it('writes version 1 (unkeyed) as before: ISO UTC time, absent values as explicit nulls', () => {
    expect(canonicalEvent(UNKEYED)).toBe(
      '{"action":"sms.sent","actor":"voice-agent","at":"2026-11-25T10:15:00.123Z",' +
        '"conversation_id":null,"details":"{\\"segments\\":1,\\"tool\\":\\"send_sms\\"}",' +
        '"message_id":"0f8fad5b-d9cb-469f-a165-70867728950e","outcome":"success",' +
        `"prev_hash":"${GENESIS_HASH}","recipient_hash":"${'a'.repeat(64)}",` +
        '"recipient_masked":"***-***-0143","request_id":"req-1","seq":7,"v":1}',
    );
  });

  it('writes version 2 with the id of the key that signs it', () => {
    const text = canonicalEvent(EVENT);
    expect(JSON.parse(text)).toEqual({ ...JSON.parse(canonicalEvent(UNKEYED)), v: 2, k: KEY.id });
    expect(text).toBe(canonicalJson(JSON.parse(text)));
  });
});

describe('hashEvent', () => {
  it('signs a version 2 event with HMAC-SHA256 under the key it names', () => {
    const expected = createHmac('sha256', KEY.secret).update(canonicalEvent(EVENT)).digest('hex');
    expect(hashEvent(EVENT, KEYS)).toBe(expected);
    const old = { ...EVENT, keyId: OLD_KEY.id };
    expect(hashEvent(old, KEYS)).toBe(
      createHmac('sha256', OLD_KEY.secret).update(canonicalEvent(old)).digest('hex'),
    );
  });

  it('cannot be recomputed without the key: plain SHA-256 or another key give other hashes', () => {
    const plain = createHash('sha256').update(canonicalEvent(EVENT)).digest('hex');
    const stranger = new ChainKeyring(chainKeyOf('someone-elses-key-0123456789abcdefghij'));
    expect(hashEvent(EVENT, KEYS)).not.toBe(plain);
    expect(hashEvent({ ...EVENT, keyId: stranger.current.id }, stranger)).not.toBe(
      hashEvent(EVENT, KEYS),
    );
  });

  it('answers null for a key that is not configured', () => {
    expect(hashEvent({ ...EVENT, keyId: 'ffffffffffffffff' }, KEYS)).toBeNull();
  });

  it('hashes a version 1 event with plain SHA-256, as the chain did before it was keyed', () => {
    expect(hashEvent(UNKEYED, KEYS)).toBe(
      createHash('sha256').update(canonicalEvent(UNKEYED)).digest('hex'),
    );
  });

  it.each([
    ['seq', { seq: 8 }],
    ['time', { at: new Date('2026-11-25T10:15:00.124Z') }],
    ['actor', { actor: 'other-agent' }],
    ['null versus empty', { conversationId: '' }],
    ['details', { details: '{"segments":2,"tool":"send_sms"}' }],
    ['previous hash', { prevHash: 'f'.repeat(64) }],
    ['key', { keyId: OLD_KEY.id }],
  ])('changes when the %s changes', (_name, change) => {
    expect(hashEvent({ ...EVENT, ...change }, KEYS)).not.toBe(hashEvent(EVENT, KEYS));
  });
});
