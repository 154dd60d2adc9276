import { RecipientHasher } from '../common/recipient-hasher.js';
import { InvalidAuditEventError, prepareAuditEvent } from './audit-event-input.js';
import type { AuditDetails } from './audit-event.js';

describe('prepareAuditEvent details', () => {
  const hasher = new RecipientHasher({ hashKey: 'audit-event-input-spec-key' } as never);
  const detailsOf = (details: AuditDetails) =>
    JSON.parse(
      prepareAuditEvent(
        { actor: 'ops', action: 'auth.denied', outcome: 'failure', details },
        hasher,
      ).details ?? 'null',
    ) as AuditDetails;

  it('masks numbers in free-text fields, in every form the logs mask', () => {
    expect(
      detailsOf({
        reason: 'asked by (202) 555-0191 on 2026-03-02',
        route: '/api/x/202.555.0143',
        routes: ['/api/consent/:phone_number', '/api/y/+1 202 555 0177'],
      }),
    ).toEqual({
      reason: 'asked by (***0191 on 2026-03-02',
      route: '/api/x/***0143',
      routes: ['/api/consent/:phone_number', '/api/y/***0177'],
    });
  });

  it('still refuses an E.164 number in any other field, and number-carrying keys', () => {
    expect(() => detailsOf({ code: 'to +12025550143' })).toThrow(InvalidAuditEventError);
    expect(() => detailsOf({ nested: { phone_number: 'x' } })).toThrow(InvalidAuditEventError);
  });

  it('keeps hashes, ids and timestamps in other fields as they are', () => {
    const details = {
      body_sha256: 'a'.repeat(64),
      provider_sid: 'SM0123456789abcdef0123456789abcdef',
      window_start: '2026-03-02T15:00:00.000Z',
      count: 49,
    };
    expect(detailsOf(details)).toEqual(details);
  });
});
