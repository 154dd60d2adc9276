import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH, hashEvent } from '../src/audit/audit-chain.js';
import type { AuditEventInput } from '../src/audit/audit-event.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { AuditChainBrokenError, AuditLogService } from '../src/audit/audit-log.service.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import type { DatabaseConfig } from '../src/config/database.config.js';

export const AUDIT_TEST_CONFIG = {
  hashKey: 'audit-chain-spec-hash-key-0123456789abcdef',
  retentionDays: 30,
};
const DAY_MS = 24 * 60 * 60 * 1000;

/** A migrated database and an AuditLogService on it, built without Nest. */
export async function openAuditLog(database: DatabaseConfig): Promise<{
  dataSource: DataSource;
  audit: AuditLogService;
  unitOfWork: UnitOfWork;
  close(): Promise<void>;
}> {
  const { DataSource } = await import('typeorm');
  const dataSource = new DataSource({ ...dataSourceOptions(database), migrationsRun: true });
  await dataSource.initialize();
  const unitOfWork = new UnitOfWork(dataSource);
  const audit = new AuditLogService(
    dataSource,
    unitOfWork,
    new RecipientHasher(AUDIT_TEST_CONFIG),
    AUDIT_TEST_CONFIG,
  );
  return { dataSource, audit, unitOfWork, close: () => dataSource.destroy() };
}

export function sendEvent(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actor: 'voice-agent',
    action: 'sms.sent',
    outcome: 'success',
    messageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    recipient: '+12025550143',
    requestId: `req-${n}`,
    conversationId: 'conv_chain',
    details: { tool: 'send_sms', body_sha256: 'b'.repeat(64), segments: 1 },
    ...overrides,
  };
}

/** Changes stored rows the way someone with database access could, past the append-only trigger. */
export async function tamper(dataSource: DataSource, sql: string): Promise<void> {
  const postgres = dataSource.options.type === 'postgres';
  await dataSource.query(
    postgres
      ? 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update'
      : 'DROP TRIGGER audit_events_no_update',
  );
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.query(
      postgres
        ? 'ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update'
        : `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
    );
  }
}

/**
 * The hash chain specification, run on every database the service supports.
 * `database` is read when the suite starts, so it may come from a beforeAll.
 */
export function auditChainSuite(database: () => DatabaseConfig): void {
  let dataSource: DataSource;
  let audit: AuditLogService;
  let unitOfWork: UnitOfWork;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, audit, unitOfWork, close } = await openAuditLog(database()));
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
        expect(event.hash).toBe(hashEvent(event));
        if (i > 0) expect(event.prevHash).toBe(stored[i - 1].hash);
      });
      await expect(audit.verify()).resolves.toEqual({
        ok: true,
        checked: 5,
        first_broken_seq: null,
        last_seq: 5,
        last_hash: stored[4].hash,
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

    it('an edit whose hash was recomputed shows at the next event, whose link no longer fits', async () => {
      const [event] = await dataSource.getRepository(AuditEventEntity).findBy({ seq: 5 });
      const forged = { ...event, actor: 'intruder' };
      await tamper(
        dataSource,
        `UPDATE audit_events SET actor = 'intruder', hash = '${hashEvent(forged)}' WHERE seq = 5`,
      );
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 6 });
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

    it('a cut tail verifies, but no longer matches an anchored last_hash', async () => {
      const anchor = await audit.verify();
      await deleteSeq(10);
      const after = await audit.verify();
      expect(after).toMatchObject({ ok: true, checked: 9, last_seq: 9 });
      expect(after.last_hash).not.toBe(anchor.last_hash);
    });
  });

  describe('retention purge', () => {
    /** 6 events, a pause, then 4: purge(now) with the cutoff at the first of the 4. */
    async function oldAndNew() {
      await appendMany(6);
      await sleep(5);
      const [firstKept] = await appendMany(4, 7);
      const now = new Date(firstKept.at.getTime() + AUDIT_TEST_CONFIG.retentionDays * DAY_MS);
      return { now, sixth: (await rows())[5] };
    }

    it('removes only events past retention and checkpoints the last one removed', async () => {
      const { now, sixth } = await oldAndNew();
      const result = await audit.purge(now);
      expect(result).toEqual({
        cutoff: expect.any(String),
        purged_count: 6,
        purged_through_seq: 6,
        checkpoint_seq: 11,
      });
      const stored = await rows();
      expect(stored.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11]);
      expect(stored[4]).toMatchObject({ action: 'audit.purged', actor: 'system' });
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
      const { now } = await oldAndNew();
      await audit.purge(now);
      await deleteSeq(9);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 9 });
    });

    it('still catches the oldest remaining event deleted after a purge', async () => {
      const { now } = await oldAndNew();
      await audit.purge(now);
      await deleteSeq(7);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 7 });
    });

    it('does not trust a first event that no checkpoint accounts for', async () => {
      await appendMany(4);
      await deleteSeq(1);
      await deleteSeq(2);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 1 });
    });

    it('catches an edited checkpoint', async () => {
      const { now } = await oldAndNew();
      await audit.purge(now);
      await tamper(dataSource, `UPDATE audit_events SET actor = 'intruder' WHERE seq = 11`);
      await expect(audit.verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 11 });
    });

    it('records a purge with nothing to remove and keeps the earlier boundary', async () => {
      const { now } = await oldAndNew();
      await audit.purge(now);
      const second = await audit.purge(now);
      expect(second).toMatchObject({
        purged_count: 0,
        purged_through_seq: null,
        checkpoint_seq: 12,
      });
      const [, , , , first, last] = await rows();
      expect(JSON.parse(last.details!)).toMatchObject({
        purged_count: 0,
        purged_through_seq: JSON.parse(first.details!).purged_through_seq,
        purged_through_hash: JSON.parse(first.details!).purged_through_hash,
      });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 6 });
    });

    it('purges again later, checkpoints included, and still verifies', async () => {
      const { now } = await oldAndNew();
      await audit.purge(now);
      await sleep(5);
      const [later] = await appendMany(2, 20);
      const result = await audit.purge(
        new Date(later.at.getTime() + AUDIT_TEST_CONFIG.retentionDays * DAY_MS),
      );
      expect(result).toMatchObject({ purged_count: 5, purged_through_seq: 11 });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 3 });
    });

    it('refuses to purge a part of the chain that does not verify', async () => {
      const { now } = await oldAndNew();
      await tamper(dataSource, `UPDATE audit_events SET actor = 'intruder' WHERE seq = 2`);
      await expect(audit.purge(now)).rejects.toBeInstanceOf(AuditChainBrokenError);
      expect(await rows()).toHaveLength(10);
    });
  });

  describe('export', () => {
    it('reads in bounded batches however many events there are', async () => {
      await unitOfWork.run(async (manager) => {
        for (let n = 1; n <= 1201; n++) await audit.append(sendEvent(n), manager);
      });
      const page = jest.spyOn(audit, 'page');
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
