import { createHash } from 'node:crypto';
import {
  canonicalEvent,
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  type ChainedEvent,
} from './audit-chain.js';

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
};

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

  it('writes the time as ISO UTC with milliseconds and absent values as explicit nulls', () => {
    expect(canonicalEvent(EVENT)).toBe(
      '{"action":"sms.sent","actor":"voice-agent","at":"2026-11-25T10:15:00.123Z",' +
        '"conversation_id":null,"details":"{\\"segments\\":1,\\"tool\\":\\"send_sms\\"}",' +
        '"message_id":"0f8fad5b-d9cb-469f-a165-70867728950e","outcome":"success",' +
        `"prev_hash":"${GENESIS_HASH}","recipient_hash":"${'a'.repeat(64)}",` +
        '"recipient_masked":"***-***-0143","request_id":"req-1","seq":7,"v":1}',
    );
  });

  it('hashes that text with SHA-256', () => {
    expect(hashEvent(EVENT)).toBe(createHash('sha256').update(canonicalEvent(EVENT)).digest('hex'));
    expect(hashEvent(EVENT)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['seq', { seq: 8 }],
    ['time', { at: new Date('2026-11-25T10:15:00.124Z') }],
    ['actor', { actor: 'other-agent' }],
    ['null versus empty', { conversationId: '' }],
    ['details', { details: '{"segments":2,"tool":"send_sms"}' }],
    ['previous hash', { prevHash: 'f'.repeat(64) }],
  ])('changes when the %s changes', (_name, change) => {
    expect(hashEvent({ ...EVENT, ...change })).not.toBe(hashEvent(EVENT));
  });
});
