import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH, hashEvent } from '../src/audit/audit-chain.js';
import type { AuditEventInput } from '../src/audit/audit-event.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import type { AuditEventRepository } from '../src/audit/audit-event.repository.js';
import { AuditChainBrokenError, type AuditLogService } from '../src/audit/audit-log.service.js';
import type { ChainKeyring } from '../src/audit/chain-keys.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import type { UnitOfWork } from '../src/database/unit-of-work.js';
import type { DatabaseConfig } from '../src/config/database.config.js';
import {
  AUDIT_TEST_CONFIG,
  openAuditLog,
  sendEvent,
  tamper,
  type TestClock,
} from './support/audit-log.js';

export { AUDIT_TEST_CONFIG, openAuditLog, sendEvent, tamper } from './support/audit-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The hash chain specification, run on every database the service supports.
 * `database` is read when the suite starts, so it may come from a beforeAll.
 */
export function auditChainSuite(database: () => DatabaseConfig): void {
  let dataSource: DataSource;
  let audit: AuditLogService;
  let unitOfWork: UnitOfWork;
  let events: AuditEventRepository;
  let keys: ChainKeyring;
  let clock: TestClock;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, audit, events, unitOfWork, keys, clock, close } =
      await openAuditLog(database()));
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    await dataSource.query('DELETE FROM audit_events');
  });

  const rows = () => dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
  const appendMany = async (count: number, from = 1) => {
    const appended = [];
    for (let n = from; n < from + count; n++) appended.push(await audit.append(sendEvent(n)));
    return appended;
  };
  const deleteSeq = (seq: number) =>
    dataSource.query(`DELETE FROM audit_events WHERE seq = ${seq}`);

  describe('appending', () => {
    it('numbers events 1, 2, 3 and links each to the hash of the one before', async () => {
      await appendMany(5);
      const stored = await rows();
      expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(stored[0].prevHash).toBe(GENESIS_HASH);
      stored.forEach((event, i) => {
        expect(event.keyId).toBe(keys.current.id);
        expect(event.hash).toBe(hashEvent(event, keys));
        if (i > 0) expect(event.prevHash).toBe(stored[i - 1].hash);
      });
      await expect(audit.verify()).resolves.toEqual({
        ok: true,
        checked: 5,
        first_broken_seq: null,
        problem: null,
        last_seq: 5,
        last_hash: stored[4].hash,
        checkpoint: null,
      });
    });

    it('keeps the recipient as last four digits and a keyed hash, never the number', async () => {
      await audit.append(sendEvent(1));
      const [event] = await rows();
      expect(event.recipientMasked).toBe('***-***-0143');
      expect(event.recipientHash).toBe(new RecipientHasher(AUDIT_TEST_CONFIG).hash('+12025550143'));
      expect(JSON.stringify(event)).not.toContain('2025550143');
      expect(JSON.parse(event.details!)).toEqual({
        body_sha256: 'b'.repeat(64),
        segments: 1,
        tool: 'send_sms',
      });
    });

    it('refuses message text, phone numbers in details and unknown actions, storing nothing', async () => {
      await expect(
        audit.append(sendEvent(1, { details: { body: 'Your prior authorization was denied' } })),
      ).rejects.toThrow('may not hold "body"');
      await expect(
        audit.append(sendEvent(1, { details: { nested: { caller: '+12025550199' } } })),
      ).rejects.toThrow('looks like a phone number');
      await expect(
        audit.append(sendEvent(1, { action: 'sms.deleted' as AuditEventInput['action'] })),
      ).rejects.toThrow('unknown action');
      await expect(audit.append(sendEvent(1, { recipient: '202-555-0143' }))).rejects.toThrow(
        'E.164',
      );
      expect(await rows()).toEqual([]);
    });

    it('is append-only in the database too: UPDATE is refused', async () => {
      await appendMany(1);
      await expect(
        dataSource.query(`UPDATE audit_events SET actor = 'intruder' WHERE seq = 1`),
      ).rejects.toThrow(/append-only/);
    });

    it('keeps one unbroken chain under 100 concurrent appends', async () => {
      await Promise.all(Array.from({ length: 100 }, (_, i) => audit.append(sendEvent(i + 1))));
      const stored = await rows();
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 100 });
    });

    it("commits with the caller's transaction, or not at all", async () => {
      await appendMany(2);
      await expect(
        unitOfWork.run(async (manager) => {
          await audit.append(sendEvent(3), manager);
          throw new Error('the message row could not be written');
        }),
      ).rejects.toThrow('message row');
      const committed = await unitOfWork.run(async (manager) => {
        const first = await audit.append(sendEvent(3), manager);
        const second = await audit.append(sendEvent(4, { action: 'sms.failed' }), manager);
        return [first.seq, second.seq];
      });
      expect(committed).toEqual([3, 4]);
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
    });

    it('refuses a manager that is not in a transaction', async () => {
      await expect(audit.append(sendEvent(1), dataSource.manager)).rejects.toThrow(
        'in a transaction',
      );
    });
  });

  describe('verify finds the one event that was changed', () => {
    beforeEach(async () => {
      await appendMany(10);
    });

    it('an edited field', async () => {
      await tamper(dataSource, `UPDATE audit_events SET outcome = 'failure' WHERE seq = 4`);
      await expect(audit.verify()).resolves.toMatchObject({
        ok: false,
        checked: 3,
        first_broken_seq: 4,
      });
    });

    it('an edited details text, even when it stays valid JSON', async () => {
      await tamper(
        dataSource,
        `UPDATE audit_events SET details = '{"segments":2,"tool":"send_sms"}' WHERE seq = 7`,
      );
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 7 });
    });

    it('an edited time', async () => {
      const [event] = await dataSource.getRepository(AuditEventEntity).findBy({ seq: 2 });
      const later = new Date(event.at.getTime() + 1000).toISOString();
      await tamper(
        dataSource,
        dataSource.options.type === 'postgres'
          ? `UPDATE audit_events SET at = '${later}' WHERE seq = 2`
          : `UPDATE audit_events SET at = '${later.replace('T', ' ').replace('Z', '')}' WHERE seq = 2`,
      );
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 2 });
    });

    it('an edited stored hash', async () => {
      await tamper(dataSource, `UPDATE audit_events SET hash = '${'f'.repeat(64)}' WHERE seq = 9`);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 9 });
    });

    it('an edit re-signed with the key shows at the next event, whose link no longer fits', async () => {
      const [event] = await dataSource.getRepository(AuditEventEntity).findBy({ seq: 5 });
      const forged = { ...event, actor: 'intruder' };
      await tamper(
        dataSource,
        `UPDATE audit_events SET actor = 'intruder', hash = '${hashEvent(forged, keys)}' WHERE seq = 5`,
      );
      await expect(audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 6,
        problem: 'link',
      });
    });

    it('a deleted event', async () => {
      await deleteSeq(6);
      await expect(audit.verify()).resolves.toMatchObject({
        ok: false,
        checked: 5,
        first_broken_seq: 6,
      });
    });

    it('a deleted first event', async () => {
      await deleteSeq(1);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 1 });
    });

    it('two events swapped in order', async () => {
      await tamper(dataSource, 'UPDATE audit_events SET seq = -1 WHERE seq = 3');
      await tamper(dataSource, 'UPDATE audit_events SET seq = 3 WHERE seq = 4');
      await tamper(dataSource, 'UPDATE audit_events SET seq = 4 WHERE seq = -1');
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 3 });
    });

    it('an event moved to the end', async () => {
      await tamper(dataSource, 'UPDATE audit_events SET seq = 11 WHERE seq = 8');
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 8 });
    });

    it('without a checkpoint, a cut tail verifies but no longer matches an anchored last_hash', async () => {
      const anchor = await audit.verify();
      await deleteSeq(10);
      const after = await audit.verify();
      expect(after).toMatchObject({ ok: true, checked: 9, last_seq: 9 });
      expect(after.last_hash).not.toBe(anchor.last_hash);
    });
  });

  describe('retention purge', () => {
    /** 6 events, a day, then 4, then the retention: purge() cuts between the 6 and the 4. */
    async function oldAndNew() {
      await appendMany(6);
      clock.advance(DAY_MS);
      await appendMany(4, 7);
      clock.advance(AUDIT_TEST_CONFIG.retentionDays * DAY_MS - 1000);
      return { sixth: (await rows())[5] };
    }

    it('removes only events past retention and records who purged through which event', async () => {
      const { sixth } = await oldAndNew();
      const result = await audit.purge('alice');
      expect(result).toEqual({
        cutoff: expect.any(String),
        purged_count: 6,
        purged_through_seq: 6,
        record_seq: 11,
      });
      const stored = await rows();
      expect(stored.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11]);
      expect(stored[4]).toMatchObject({ action: 'audit.purged', actor: 'alice' });
      expect(JSON.parse(stored[4].details!)).toMatchObject({
        purged_count: 6,
        purged_through_seq: 6,
        purged_through_hash: sixth.hash,
        retention_days: AUDIT_TEST_CONFIG.retentionDays,
      });
      await expect(audit.verify()).resolves.toMatchObject({
        ok: true,
        checked: 5,
        first_broken_seq: null,
      });
    });

    it('still catches an event deleted in the middle after a purge', async () => {
      await oldAndNew();
      await audit.purge();
      await deleteSeq(9);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 9 });
    });

    it('still catches the oldest remaining event deleted after a purge', async () => {
      await oldAndNew();
      await audit.purge();
      await deleteSeq(7);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 7 });
    });

    it('does not trust a first event that no purge record accounts for', async () => {
      await appendMany(4);
      await deleteSeq(1);
      await deleteSeq(2);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 1 });
    });

    it('catches an edited purge record', async () => {
      await oldAndNew();
      await audit.purge();
      await tamper(dataSource, `UPDATE audit_events SET actor = 'intruder' WHERE seq = 11`);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 11 });
    });

    it('records a purge with nothing to remove and keeps the earlier boundary', async () => {
      await oldAndNew();
      await audit.purge();
      const second = await audit.purge();
      expect(second).toMatchObject({
        purged_count: 0,
        purged_through_seq: null,
        record_seq: 12,
      });
      const [, , , , first, last] = await rows();
      expect(JSON.parse(last.details!)).toMatchObject({
        purged_count: 0,
        purged_through_seq: JSON.parse(first.details!).purged_through_seq,
        purged_through_hash: JSON.parse(first.details!).purged_through_hash,
      });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 6 });
    });

    it('purges again later, purge records included, and still verifies', async () => {
      await oldAndNew();
      await audit.purge();
      clock.advance(DAY_MS);
      await appendMany(2, 20);
      clock.advance(AUDIT_TEST_CONFIG.retentionDays * DAY_MS - 1000);
      const result = await audit.purge();
      expect(result).toMatchObject({ purged_count: 5, purged_through_seq: 11 });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 3 });
    });

    it('refuses to purge a part of the chain that does not verify', async () => {
      await oldAndNew();
      await tamper(dataSource, `UPDATE audit_events SET actor = 'intruder' WHERE seq = 2`);
      await expect(audit.purge()).rejects.toBeInstanceOf(AuditChainBrokenError);
      expect(await rows()).toHaveLength(10);
    });
  });

  describe('export', () => {
    it('reads in bounded batches however many events there are', async () => {
      await unitOfWork.run(async (manager) => {
        for (let n = 1; n <= 1201; n++) await audit.append(sendEvent(n), manager);
      });
      const page = jest.spyOn(events, 'page');
      let text = '';
      for await (const chunk of audit.exportStream('ndjson')) text += String(chunk);
      const lines = text.trim().split('\n');
      expect(lines).toHaveLength(1201);
      expect(JSON.parse(lines[1200])).toMatchObject({ seq: 1201, action: 'sms.sent' });
      expect(page).toHaveBeenCalledTimes(3);
      for (const call of page.mock.calls) expect(call[2]).toBeLessThanOrEqual(500);
      page.mockRestore();
    });
  });
}
