import { UnitOfWork } from '../src/database/unit-of-work.js';
import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import type { AuditLogService } from '../src/audit/audit-log.service.js';
import { DomainError } from '../src/common/errors/domain-error.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import type { DatabaseConfig } from '../src/config/database.config.js';
import { ConsentChangeEntity, ConsentEntity } from '../src/consent/consent.entity.js';
import {
  ConsentService,
  InvalidConsentChangeError,
  type ConsentChange,
} from '../src/consent/consent.service.js';
import { AUDIT_TEST_CONFIG, openAuditLog } from './audit-chain.suite.js';

const PATIENT = '+12025550143';
const OTHER = '+12025550188';

const stop = (overrides: Partial<ConsentChange> = {}): ConsentChange => ({
  state: 'opted_out',
  source: 'keyword',
  keyword: 'STOP',
  actor: 'twilio',
  requestId: 'req-consent-1',
  ...overrides,
});
const start = (overrides: Partial<ConsentChange> = {}): ConsentChange =>
  stop({ state: 'opted_in', keyword: 'START', ...overrides });

/**
 * The consent registry specification, run on every database the service supports.
 * `database` is read when the suite starts, so it may come from a beforeAll.
 */
export function consentServiceSuite(database: () => DatabaseConfig): void {
  let dataSource: DataSource;
  let audit: AuditLogService;
  let unitOfWork: UnitOfWork;
  let consent: ConsentService;
  let close: () => Promise<void>;
  const hasher = new RecipientHasher(AUDIT_TEST_CONFIG);

  beforeAll(async () => {
    ({ dataSource, audit, unitOfWork, close } = await openAuditLog(database()));
    consent = new ConsentService(unitOfWork, dataSource, audit, hasher);
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    await dataSource.query('DELETE FROM consent_changes');
    await dataSource.query('DELETE FROM consents');
    await dataSource.query('DELETE FROM audit_events');
  });

  const consentEvents = () =>
    dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { action: 'consent.changed' }, order: { seq: 'ASC' } });
  const changeRows = () =>
    dataSource.getRepository(ConsentChangeEntity).find({ order: { auditSeq: 'ASC' } });

  describe('isOptedOut', () => {
    it('is false for a number with no record', async () => {
      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(false);
      await expect(consent.lookup(PATIENT)).resolves.toBeNull();
    });

    it('is true after an opt-out, for that number only', async () => {
      await consent.record(PATIENT, stop());
      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(true);
      await expect(consent.isOptedOut(OTHER)).resolves.toBe(false);
    });

    it('is false again after an opt-in', async () => {
      await consent.record(PATIENT, stop());
      await consent.record(PATIENT, start());
      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(false);
    });
  });

  describe('record', () => {
    it('writes the consent row, the history row and a consent.changed audit event together', async () => {
      const recorded = await consent.record(
        PATIENT,
        stop({ conversationId: 'conv_1', providerSid: `SM${'a'.repeat(32)}` }),
      );

      const [event] = await consentEvents();
      expect(event).toMatchObject({
        seq: recorded.auditSeq,
        actor: 'twilio',
        outcome: 'success',
        recipientMasked: '***-***-0143',
        recipientHash: hasher.hash(PATIENT),
        requestId: 'req-consent-1',
        conversationId: 'conv_1',
      });
      expect(JSON.parse(event.details ?? '{}')).toEqual({
        state: 'opted_out',
        source: 'keyword',
        keyword: 'STOP',
        reason: null,
        provider_sid: `SM${'a'.repeat(32)}`,
      });
      expect(event.details).not.toContain('2025550143');

      const row = await dataSource
        .getRepository(ConsentEntity)
        .findOneByOrFail({ recipientHash: hasher.hash(PATIENT) });
      expect(row).toMatchObject({
        recipient: PATIENT,
        state: 'opted_out',
        source: 'keyword',
        keyword: 'STOP',
        reason: null,
        actor: 'twilio',
        auditSeq: event.seq,
      });
      expect(new Date(row.changedAt).getTime()).toBe(new Date(event.at).getTime());
      expect(await changeRows()).toEqual([
        expect.objectContaining({
          auditSeq: event.seq,
          recipientMasked: '***-***-0143',
          state: 'opted_out',
          previousState: null,
          conversationId: 'conv_1',
        }),
      ]);
      expect(recorded).toMatchObject({
        state: 'opted_out',
        previousState: null,
        recipient: PATIENT,
      });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 1 });
    });

    it('keeps one row per number, the latest change, and every change in the history', async () => {
      await consent.record(PATIENT, stop());
      const optIn = await consent.record(
        PATIENT,
        start({
          source: 'api',
          keyword: null,
          reason: 'verbal consent on call conv_9',
          actor: 'ops',
        }),
      );
      expect(optIn.previousState).toBe('opted_out');

      const rows = await dataSource.getRepository(ConsentEntity).find();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        state: 'opted_in',
        source: 'api',
        keyword: null,
        reason: 'verbal consent on call conv_9',
        actor: 'ops',
        auditSeq: optIn.auditSeq,
      });
      expect((await changeRows()).map((c) => [c.state, c.previousState])).toEqual([
        ['opted_out', null],
        ['opted_in', 'opted_out'],
      ]);
    });

    it('records a repeated STOP as another change, with the state it found', async () => {
      await consent.record(PATIENT, stop());
      const again = await consent.record(PATIENT, stop({ keyword: 'QUIT' }));
      expect(again.previousState).toBe('opted_out');
      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(true);
      expect(await consentEvents()).toHaveLength(2);
    });

    it("joins the caller's transaction and rolls back with it", async () => {
      await expect(
        unitOfWork.run(async (manager) => {
          await consent.record(PATIENT, stop(), manager);
          await expect(consent.isOptedOut(PATIENT, manager)).resolves.toBe(true);
          throw new Error('the rest of the work failed');
        }),
      ).rejects.toThrow('the rest of the work failed');

      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(false);
      expect(await changeRows()).toEqual([]);
      expect(await consentEvents()).toEqual([]);
      await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    });

    it.each([
      ['a number not in E.164', '2025550143', stop()],
      ['an unknown state', PATIENT, stop({ state: 'maybe' as never })],
      ['an unknown source', PATIENT, stop({ source: 'email' as never })],
      ['an API change without a reason', PATIENT, stop({ source: 'api', reason: '  ' })],
      ['a reason over 500 characters', PATIENT, stop({ reason: 'x'.repeat(501) })],
    ])('refuses %s and writes nothing', async (_case, e164, change) => {
      await expect(consent.record(e164, change)).rejects.toBeInstanceOf(InvalidConsentChangeError);
      expect(await consentEvents()).toEqual([]);
      expect(await changeRows()).toEqual([]);
    });

    it('writes nothing when the audit event is refused (a phone number in the reason)', async () => {
      await expect(
        consent.record(PATIENT, stop({ source: 'api', reason: `asked by ${OTHER}`, actor: 'ops' })),
      ).rejects.toThrow('looks like a phone number');
      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(false);
      expect(await changeRows()).toEqual([]);
    });

    it('applies concurrent changes to one number in audit order', async () => {
      const changes = Array.from({ length: 10 }, (_, i) =>
        consent.record(PATIENT, i % 2 === 0 ? stop({ requestId: `req-${i}` }) : start()),
      );
      const recorded = await Promise.all(changes);
      const last = recorded.reduce((a, b) => (a.auditSeq > b.auditSeq ? a : b));

      const row = await dataSource
        .getRepository(ConsentEntity)
        .findOneByOrFail({ recipientHash: hasher.hash(PATIENT) });
      expect(row).toMatchObject({ state: last.state, auditSeq: last.auditSeq });
      const history = await changeRows();
      expect(history).toHaveLength(10);
      // Each change saw the one committed just before it.
      history.forEach((change, i) => {
        expect(change.previousState).toBe(i === 0 ? null : history[i - 1].state);
      });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 10 });
    });
  });

  describe('recordProviderOptOut', () => {
    it("marks the number opted out from Twilio's 21610, tied to the refused message", async () => {
      const messageId = '0f8fad5b-d9cb-469f-a165-70867728950e';
      await consent.record(PATIENT, start());
      const recorded = await consent.recordProviderOptOut(PATIENT, {
        requestId: 'req-send-7',
        messageId,
      });

      expect(recorded).toMatchObject({
        state: 'opted_out',
        source: 'twilio_21610',
        actor: 'twilio',
        keyword: null,
        previousState: 'opted_in',
      });
      await expect(consent.isOptedOut(PATIENT)).resolves.toBe(true);
      const events = await consentEvents();
      expect(events.at(-1)).toMatchObject({ messageId, requestId: 'req-send-7' });
    });
  });

  describe('lookup', () => {
    it('answers the latest change of the number', async () => {
      const recorded = await consent.record(
        PATIENT,
        stop({ source: 'api', keyword: null, reason: 'asked on call conv_3', actor: 'ops' }),
      );
      await consent.record(OTHER, start());
      await expect(consent.lookup(PATIENT)).resolves.toEqual({
        recipient: PATIENT,
        state: 'opted_out',
        source: 'api',
        keyword: null,
        reason: 'asked on call conv_3',
        actor: 'ops',
        changedAt: recorded.changedAt,
        auditSeq: recorded.auditSeq,
      });
    });
  });

  describe('listChanges', () => {
    beforeEach(async () => {
      await consent.record(PATIENT, stop());
      await consent.record(OTHER, stop({ source: 'twilio_21610', keyword: null }));
      await consent.record(
        PATIENT,
        start({
          source: 'api',
          keyword: null,
          reason: 'verbal consent',
          actor: 'ops',
          conversationId: 'conv_7',
        }),
      );
    });

    it('lists every change newest first, numbers masked', async () => {
      const page = await consent.listChanges({});
      expect(page.next_cursor).toBeNull();
      expect(page.changes.map((c) => [c.phone_number, c.state, c.source])).toEqual([
        ['***-***-0143', 'opted_in', 'api'],
        ['***-***-0188', 'opted_out', 'twilio_21610'],
        ['***-***-0143', 'opted_out', 'keyword'],
      ]);
      expect(page.changes[0]).toMatchObject({
        previous_state: 'opted_out',
        reason: 'verbal consent',
        actor: 'ops',
        conversation_id: 'conv_7',
        recipient_hash: hasher.hash(PATIENT),
      });
      expect(JSON.stringify(page)).not.toContain('2025550');
    });

    it('filters by number, state, source, actor, conversation and time', async () => {
      const states = async (filters: Parameters<ConsentService['listChanges']>[0]) =>
        (await consent.listChanges(filters)).changes.map((c) => `${c.phone_number} ${c.state}`);

      expect(await states({ recipient: PATIENT })).toEqual([
        '***-***-0143 opted_in',
        '***-***-0143 opted_out',
      ]);
      expect(await states({ state: 'opted_out' })).toEqual([
        '***-***-0188 opted_out',
        '***-***-0143 opted_out',
      ]);
      expect(await states({ source: 'twilio_21610' })).toEqual(['***-***-0188 opted_out']);
      expect(await states({ actor: 'ops' })).toEqual(['***-***-0143 opted_in']);
      expect(await states({ conversationId: 'conv_7' })).toEqual(['***-***-0143 opted_in']);
      expect(await states({ recipient: PATIENT, state: 'opted_in' })).toEqual([
        '***-***-0143 opted_in',
      ]);
      expect(await states({ from: new Date(Date.now() + 60_000) })).toEqual([]);
      expect(await states({ to: new Date(Date.now() - 60_000) })).toEqual([]);
      expect(await states({ from: new Date(Date.now() - 60_000) })).toHaveLength(3);
    });

    it('pages with a cursor, without repeats or gaps', async () => {
      const first = await consent.listChanges({}, undefined, 2);
      expect(first.changes).toHaveLength(2);
      expect(first.next_cursor).toEqual(expect.any(String));
      const second = await consent.listChanges({}, first.next_cursor ?? undefined, 2);
      expect(second.changes).toHaveLength(1);
      expect(second.next_cursor).toBeNull();
      const seqs = [...first.changes, ...second.changes].map((c) => c.audit_seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(new Set(seqs).size).toBe(3);
    });

    it('refuses a cursor it did not give out', async () => {
      await expect(consent.listChanges({}, 'bm90LWEtY3Vyc29y')).rejects.toBeInstanceOf(DomainError);
    });
  });
}
