import { openMessageDatabase, type MessageDatabase } from '../../test/support/message-database.js';
import { MAX_TAGGED_PATIENTS, ReadAuditor } from './read-auditor.js';

const READER = {
  actor: 'ops',
  requestId: 'req-read',
  platform: 'rest',
  clientIp: '198.51.100.7',
  keyFingerprint: '0123456789ab',
  route: '/api/sms/messages/:id',
};
const patients = (n: number) => Array.from({ length: n }, (_, i) => `+1202555${7000 + i}`);

describe('ReadAuditor', () => {
  let db: MessageDatabase;
  let reads: ReadAuditor;
  beforeEach(async () => {
    db = await openMessageDatabase();
    reads = new ReadAuditor(db.audit, db.unitOfWork);
  });
  afterEach(() => db.close());

  it("writes one event per patient an answer names, so each patient's history shows it", async () => {
    await reads.record(READER, {
      resource: 'text_status',
      recipients: [...patients(2), patients(1)[0]],
      count: 3,
    });

    const events = await db.events();
    expect(events.map((e) => e.recipientMasked)).toEqual(['***-***-7000', '***-***-7001']);
    expect(events.map((e) => JSON.parse(e.details ?? '{}'))).toEqual([
      expect.objectContaining({ resource: 'text_status', count: 3, patients: 2 }),
      expect.objectContaining({ resource: 'text_status', count: 3, patients: 2 }),
    ]);
    expect(events[0]).toMatchObject({ actor: 'ops', action: 'data.read', requestId: 'req-read' });
  });

  it('writes one untagged event with the count past the patients it tags one by one', async () => {
    await reads.record(READER, {
      resource: 'text_status',
      recipients: patients(MAX_TAGGED_PATIENTS + 1),
      count: 20,
    });

    const events = await db.events();
    expect(events).toHaveLength(1);
    expect(events[0].recipientHash).toBeNull();
    expect(JSON.parse(events[0].details ?? '{}')).toMatchObject({
      count: 20,
      patients: MAX_TAGGED_PATIENTS + 1,
      client_ip: '198.51.100.7',
      key_fingerprint: '0123456789ab',
    });
  });

  it('refuses the read (503 AUDIT_WRITE_FAILED) when nothing can be written', async () => {
    await expect(
      reads.record({ ...READER, actor: '' }, { resource: 'message', recipients: patients(1) }),
    ).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED', status: 503 });
    expect(await db.events()).toEqual([]);
  });
});
