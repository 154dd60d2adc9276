import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { canonicalEvent, canonicalJson, hashEvent } from '../src/audit/audit-chain.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { prepareAuditEvent } from '../src/audit/audit-event-input.js';
import { ChainKeyring } from '../src/audit/chain-keys.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import { chainKeyOf } from '../src/config/audit-chain.config.js';
import type { DatabaseConfig } from '../src/config/database.config.js';
import { AUDIT_TEST_CONFIG, openAuditLog, sendEvent, type AuditLog } from './support/audit-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OLD_KEY = chainKeyOf('audit-keys-suite-retired-key-0123456789');
const NEW_KEY = chainKeyOf('audit-keys-suite-current-key-0123456789');
const STRANGER = new ChainKeyring(chainKeyOf('a-key-the-service-never-had-0123456789'));

/**
 * Keys, re-anchoring, checkpoints and purge records, run on every database the service
 * supports. `database` is read when the suite starts, so it may come from a beforeAll.
 */
export function auditKeysSuite(database: () => DatabaseConfig): void {
  let log: AuditLog;
  let dataSource: DataSource;
  let dir: string;

  const open = (options: Parameters<typeof openAuditLog>[1] = {}) =>
    openAuditLog(database(), { ...options, on: dataSource });
  const rows = () => dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
  const appendMany = async (count: number, on = log) => {
    for (let n = 1; n <= count; n++) await on.audit.append(sendEvent(n));
  };
  /** Inserts an event as it is given, past the service: what a database writer can do. */
  const insert = (event: Omit<AuditEventEntity, 'hash'>, hash: string | null) =>
    dataSource.getRepository(AuditEventEntity).insert({ ...event, hash: hash! });
  const unkeyed = (event: Omit<AuditEventEntity, 'hash'>) =>
    createHash('sha256').update(canonicalEvent(event)).digest('hex');
  const next = (last: AuditEventEntity, overrides: Partial<AuditEventEntity> = {}) => ({
    ...last,
    seq: last.seq + 1,
    prevHash: last.hash,
    actor: 'intruder',
    ...overrides,
  });

  beforeAll(async () => {
    ({ dataSource } = await openAuditLog(database()));
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('DELETE FROM audit_events');
    dir = mkdtempSync(join(tmpdir(), 'audit-keys-'));
    log = await open({ chain: { checkpointDir: dir } });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('keys', () => {
    it('verifies events signed with a retired key while it is listed, and names it otherwise', async () => {
      const before = await open({ chain: { key: OLD_KEY } });
      await appendMany(3, before);
      const rotated = await open({ chain: { key: NEW_KEY, previousKeys: [OLD_KEY] } });
      await appendMany(2, rotated);
      expect((await rows()).map((e) => e.keyId)).toEqual([
        ...Array(3).fill(OLD_KEY.id),
        ...Array(2).fill(NEW_KEY.id),
      ]);
      await expect(rotated.audit.verify()).resolves.toMatchObject({ ok: true, checked: 5 });
      const forgotten = await open({ chain: { key: NEW_KEY } });
      await expect(forgotten.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 1,
        problem: 'unknown_key',
      });
    });

    it('catches an event re-signed with a guessed key under the real key id', async () => {
      await appendMany(5);
      const [third] = await dataSource.getRepository(AuditEventEntity).findBy({ seq: 3 });
      await dataSource.query('DELETE FROM audit_events WHERE seq >= 3');
      const guessed = new ChainKeyring({ id: log.keys.current.id, secret: 'g'.repeat(32) });
      const forged = { ...third, actor: 'intruder' };
      await insert(forged, hashEvent(forged, guessed));
      await expect(log.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 3,
        problem: 'hash',
      });
    });

    it('refuses a purge record signed with a key the service does not hold', async () => {
      await appendMany(30);
      const stored = await rows();
      await dataSource.query('DELETE FROM audit_events WHERE seq <= 21');
      const purge = next(stored[29], {
        action: 'audit.purged',
        keyId: STRANGER.current.id,
        details: canonicalJson({
          cutoff: stored[21].at.toISOString(),
          retention_days: 2192,
          purged_count: 21,
          purged_through_seq: 21,
          purged_through_hash: stored[20].hash,
        }),
      });
      await insert(purge, hashEvent(purge, STRANGER));
      await expect(log.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 31,
        problem: 'unknown_key',
      });
    });
  });

  describe('re-anchoring a chain from before the key', () => {
    async function unkeyedChain(count: number): Promise<AuditEventEntity[]> {
      await appendMany(count);
      const keyed = await rows();
      await dataSource.query('DELETE FROM audit_events');
      let prevHash = keyed[0].prevHash;
      for (const event of keyed) {
        const old = { ...event, keyId: null, prevHash };
        prevHash = unkeyed(old);
        await insert(old, prevHash);
      }
      return rows();
    }

    it('records audit.reanchored once, linked to the old head; the whole chain then verifies', async () => {
      const old = await unkeyedChain(4);
      await log.writer.reanchorIfUnkeyed();
      await log.writer.reanchorIfUnkeyed();
      const stored = await rows();
      expect(stored).toHaveLength(5);
      expect(stored[4]).toMatchObject({
        seq: 5,
        action: 'audit.reanchored',
        actor: 'system',
        prevHash: old[3].hash,
        keyId: log.keys.current.id,
      });
      expect(JSON.parse(stored[4].details!)).toEqual({
        chain_version: 2,
        previous_seq: 4,
        previous_hash: old[3].hash,
      });
      await appendMany(1);
      await expect(log.audit.verify()).resolves.toMatchObject({ ok: true, checked: 6 });
    });

    it('re-anchors before the first keyed append when the boot step has not run', async () => {
      await unkeyedChain(2);
      await log.audit.append(sendEvent(3));
      expect((await rows()).map((e) => e.action)).toEqual([
        'sms.sent',
        'sms.sent',
        'audit.reanchored',
        'sms.sent',
      ]);
      await expect(log.audit.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
    });

    it('accepts no unkeyed event after the re-anchor', async () => {
      await unkeyedChain(2);
      await log.writer.reanchorIfUnkeyed();
      const [, , anchor] = await rows();
      const forged = next(anchor, { action: 'sms.sent', keyId: null });
      await insert(forged, unkeyed(forged));
      await expect(log.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 4,
        problem: 'unkeyed',
      });
    });

    it('does not accept an unkeyed run at the end that nothing keyed pins', async () => {
      const noCheckpoints = await open();
      await appendMany(4, noCheckpoints);
      const [, , , last] = await rows();
      await dataSource.query('DELETE FROM audit_events');
      const purge = next(last, {
        actor: 'system',
        action: 'audit.purged',
        keyId: null,
        details: canonicalJson({ purged_through_seq: last.seq, purged_through_hash: last.hash }),
      });
      await insert(purge, unkeyed(purge));
      await expect(noCheckpoints.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 5,
        problem: 'not_reanchored',
      });
    });

    it('accepts keyed events after unkeyed ones only through an audit.reanchored record', async () => {
      const old = await unkeyedChain(2);
      const keyed = next(old[1], { action: 'sms.sent', keyId: log.keys.current.id });
      await insert(keyed, hashEvent(keyed, log.keys));
      await expect(log.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 3,
        problem: 'not_reanchored',
      });
    });
  });

  describe('checkpoints outside the database', () => {
    it('are written by a verified run, signed, and compared by verify', async () => {
      await appendMany(5);
      await expect(log.monitor.tick()).resolves.toMatchObject({ state: 'ok', verified_seq: 5 });
      expect(readdirSync(dir)).toHaveLength(1);
      const result = await log.audit.verify();
      expect(result).toMatchObject({ ok: true, checkpoint: { seq: 5 } });
      expect(result.checkpoint?.hash).toBe((await rows())[4].hash);
    });

    it('ignore a line written without the key', async () => {
      await appendMany(5);
      await log.monitor.tick();
      const [file] = readdirSync(dir);
      const at = new Date().toISOString();
      const forged = { v: 1, seq: 99, hash: 'f'.repeat(64), at, k: log.keys.current.id };
      appendFileSync(join(dir, file), `${JSON.stringify({ ...forged, mac: 'a'.repeat(64) })}\n`);
      await expect(log.checkpoints.latest()).resolves.toMatchObject({ seq: 5 });
    });

    it('let the next run read only the events after the last checkpoint', async () => {
      await appendMany(10);
      await log.monitor.tick();
      await appendMany(3);
      const page = jest.spyOn(log.events, 'page');
      await expect(log.monitor.tick()).resolves.toMatchObject({ verified_seq: 13 });
      expect(page.mock.calls.map((call) => call[1])).toEqual([10]);
      page.mockRestore();
    });

    it('catch the newest events deleted, and keep their numbers from being handed out again', async () => {
      await appendMany(8);
      await log.monitor.tick();
      await dataSource.query('DELETE FROM audit_events WHERE seq > 5');
      await expect(log.monitor.tick()).resolves.toMatchObject({
        state: 'broken',
        first_broken_seq: 6,
        problem: 'behind_checkpoint',
      });
      const stored = await rows();
      expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 9]);
      expect(stored[5]).toMatchObject({ action: 'audit.chain_broken', outcome: 'failure' });
      await log.monitor.tick();
      expect(await rows()).toHaveLength(6);
      expect(await log.metrics.render()).toMatch(/^audit_chain_broken 1$/m);
    });

    it('catch the table emptied, also for a fresh process that only has the checkpoint', async () => {
      await appendMany(3);
      await log.monitor.tick();
      await dataSource.query('DELETE FROM audit_events');
      const fresh = await open({ chain: { checkpointDir: dir } });
      await expect(fresh.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 1,
        problem: 'behind_checkpoint',
        checkpoint: { seq: 3 },
      });
    });
  });

  describe('purge records, even signed with the key', () => {
    const purgeRecord = (log: AuditLog, details: Record<string, string | number>) =>
      log.unitOfWork.run((manager) =>
        log.writer.appendLocked(
          manager,
          prepareAuditEvent(
            { actor: 'system', action: 'audit.purged', outcome: 'success', details },
            new RecipientHasher(AUDIT_TEST_CONFIG),
          ),
        ),
      );

    it('may not claim a retention shorter than the floor', async () => {
      const floored = await open({ chain: { checkpointDir: dir, retentionFloorDays: 2192 } });
      await appendMany(3, floored);
      floored.clock.advance(31 * DAY_MS);
      await purgeRecord(floored, {
        cutoff: new Date(floored.clock.now().getTime() - 30 * DAY_MS).toISOString(),
        retention_days: 30,
        purged_count: 0,
      });
      await expect(floored.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 4,
        problem: 'implausible_purge',
      });
    });

    it('may not remove events a checkpoint saw younger than the cutoff', async () => {
      await appendMany(10);
      await log.monitor.tick();
      const checkpointAt = new Date((await log.checkpoints.latest())!.at);
      await appendMany(10);
      const through = (await rows())[14];
      await dataSource.query('DELETE FROM audit_events WHERE seq <= 15');
      log.clock.advance(31 * DAY_MS);
      await purgeRecord(log, {
        cutoff: new Date(checkpointAt.getTime() - 1000).toISOString(),
        retention_days: 30,
        purged_count: 15,
        purged_through_seq: 15,
        purged_through_hash: through.hash,
      });
      await expect(log.audit.verify()).resolves.toMatchObject({
        ok: false,
        first_broken_seq: 21,
        problem: 'implausible_purge',
      });
    });
  });
}
