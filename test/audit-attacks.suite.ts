import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../src/audit/audit-chain.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { sendEvent, tamper } from './support/audit-tamper.js';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

/** A database of its own for one attack, and how to throw it away. */
export interface AttackDatabase {
  env: Record<string, string | undefined>;
  drop(): Promise<void>;
}

/** The stored fields every release has: what an attacker copies into a forged row. */
const FIELDS = [
  'seq',
  'at',
  'actor',
  'action',
  'messageId',
  'recipientMasked',
  'recipientHash',
  'outcome',
  'requestId',
  'conversationId',
  'details',
  'prevHash',
  'hash',
] as const;
type Row = Pick<AuditEventEntity, (typeof FIELDS)[number]>;

/** The chain's hash as the public source computed it before it was keyed: anyone can. */
function unkeyedHash(e: Row): string {
  const canonical = canonicalJson({
    v: 1,
    seq: e.seq,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    message_id: e.messageId,
    recipient_masked: e.recipientMasked,
    recipient_hash: e.recipientHash,
    outcome: e.outcome,
    request_id: e.requestId,
    conversation_id: e.conversationId,
    details: e.details,
    prev_hash: e.prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Waits for `check` to hold, or gives up quietly after `ms` (below the 30 s test timeout: on a
 * loaded machine the monitor may take seconds): the assertions that follow decide.
 */
async function eventually(check: () => boolean | Promise<boolean>, ms = 25_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !(await check())) await sleep(50);
}

/**
 * Attacks on the audit trail by someone who can write the database but holds no key, each
 * checked the way an auditor would: GET /api/audit/verify on the running app.
 */
export function auditAttackSuite(openDatabase: () => Promise<AttackDatabase>): void {
  let database: AttackDatabase;
  let app: INestApplication;
  let checkpointDir: string;
  let dataSource: DataSource;

  const http = () => request(app.getHttpServer());
  const verify = async () =>
    (await http().get('/api/audit/verify').set('X-API-Key', TEST_ADMIN_KEY).expect(200)).body as {
      ok: boolean;
      first_broken_seq: number | null;
    };
  const rows = async (): Promise<Row[]> =>
    dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
  const insert = (row: Row) =>
    dataSource
      .getRepository(AuditEventEntity)
      .insert(Object.fromEntries(FIELDS.map((f) => [f, row[f]])));
  const appendMany = async (count: number) => {
    for (let n = 1; n <= count; n++) await app.get(AuditLogService).append(sendEvent(n));
  };
  /** The newest seq a checkpoint file names (0 when there is none). */
  const checkpointed = () =>
    Math.max(
      0,
      ...readdirSync(checkpointDir).flatMap((file) =>
        readFileSync(join(checkpointDir, file), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { seq: number }).seq),
      ),
    );

  /** The running monitor verifies and checkpoints every 100 ms. */
  const MONITORED = { AUDIT_VERIFY_INTERVAL_MS: '100' };

  async function start(env: Record<string, string> = {}): Promise<void> {
    database = await openDatabase();
    checkpointDir = mkdtempSync(join(tmpdir(), 'audit-checkpoints-'));
    app = await createTestApp({
      env: {
        ...database.env,
        AUDIT_CHECKPOINT_DIR: checkpointDir,
        ...env,
      },
    });
    dataSource = app.get(DataSource);
  }

  afterEach(async () => {
    await app?.close();
    await database?.drop();
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  it('deleting an event and re-chaining the ones after it with the unkeyed hash is caught', async () => {
    await start();
    await appendMany(10);
    const stored = await rows();
    await dataSource.query('DELETE FROM audit_events WHERE seq >= 5');
    let prevHash = stored[3].hash;
    for (const original of stored.slice(5)) {
      const forged = { ...original, seq: original.seq - 1, prevHash };
      forged.hash = unkeyedHash(forged);
      await insert(forged);
      prevHash = forged.hash;
    }
    await expect(verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 5 });
  });

  it('deleting the newest five events is caught, and their seq numbers are not handed out again', async () => {
    await start(MONITORED);
    await appendMany(20);
    await eventually(() => checkpointed() >= 20);
    await dataSource.query('DELETE FROM audit_events WHERE seq > 15');
    await expect(verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 16 });

    await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: 'Your results are ready.' })
      .expect(201);
    const seqs = (await rows()).map((e) => e.seq).filter((seq) => seq > 15);
    expect(seqs.length).toBeGreaterThan(0);
    expect(Math.min(...seqs)).toBeGreaterThan(20);
  });

  it('emptying the table is caught', async () => {
    await start(MONITORED);
    await appendMany(5);
    await eventually(() => checkpointed() >= 5);
    await dataSource.query('DELETE FROM audit_events');
    await expect(verify()).resolves.toMatchObject({ ok: false, first_broken_seq: 1 });
  });

  it('a forged purge record, chained with the unkeyed hash, cannot hide a block', async () => {
    await start();
    await appendMany(30);
    const stored = await rows();
    const [through, last] = [stored[20], stored[29]];
    await dataSource.query('DELETE FROM audit_events WHERE seq <= 21');
    const forged: Row = {
      ...last,
      seq: last.seq + 1,
      at: new Date(last.at.getTime() + 1000),
      actor: 'system',
      action: 'audit.purged',
      messageId: null,
      recipientMasked: null,
      recipientHash: null,
      requestId: null,
      conversationId: null,
      details: canonicalJson({
        cutoff: new Date(through.at.getTime() + 1).toISOString(),
        retention_days: 2192,
        purged_count: 21,
        purged_through_seq: through.seq,
        purged_through_hash: through.hash,
      }),
      prevHash: last.hash,
    };
    forged.hash = unkeyedHash(forged);
    await insert(forged);
    await expect(verify()).resolves.toMatchObject({ ok: false });
  });

  it('replacing the whole table with one unkeyed purge record that claims it all is caught', async () => {
    await start();
    await appendMany(10);
    const [last] = (await rows()).slice(-1);
    await dataSource.query('DELETE FROM audit_events');
    const forged: Row = {
      ...last,
      seq: last.seq + 1,
      actor: 'system',
      action: 'audit.purged',
      details: canonicalJson({
        cutoff: last.at.toISOString(),
        retention_days: 2192,
        purged_count: last.seq,
        purged_through_seq: last.seq,
        purged_through_hash: last.hash,
      }),
      prevHash: last.hash,
    };
    forged.hash = unkeyedHash(forged);
    await insert(forged);
    await expect(verify()).resolves.toMatchObject({ ok: false });
  });

  it('the stored body hash does not confirm a guessed text', async () => {
    await start();
    const text = 'Your lab results are ready. Call us at the clinic.';
    const sent = await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: text })
      .expect(201);
    const guess = createHash('sha256').update(text, 'utf8').digest('hex');
    const row = await dataSource
      .getRepository(MessageEntity)
      .findOneByOrFail({ id: sent.body.message_id });
    expect(row.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.bodySha256).not.toBe(guess);
    const events = await rows();
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => e.details ?? '').join('\n')).not.toContain(guess);
  });

  it('a break is found without anyone asking: metric, readiness details and doctor', async () => {
    await start(MONITORED);
    await appendMany(5);
    await tamper(dataSource, `UPDATE audit_events SET actor = 'intruder' WHERE seq = 3`);
    const metric = async () =>
      (await http().get('/metrics').set('X-API-Key', TEST_ADMIN_KEY).expect(200)).text;
    await eventually(async () => /^audit_chain_broken 1$/m.test(await metric()));
    expect(await metric()).toMatch(/^audit_chain_broken 1$/m);

    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body.details.audit_chain).toEqual({
      status: 'up',
      state: 'broken',
      problem: 'hash',
    });
    const doctor = await http().get('/api/doctor').set('X-API-Key', TEST_ADMIN_KEY).expect(200);
    expect(doctor.body.checks).toContainEqual(
      expect.objectContaining({ name: 'Audit chain', status: 'fail' }),
    );
  });

  it('with AUDIT_BROKEN_CHAIN=refuse, a broken chain stops new texts with 503 AUDIT_CHAIN_BROKEN', async () => {
    await start({ ...MONITORED, AUDIT_BROKEN_CHAIN: 'refuse' });
    await appendMany(5);
    await tamper(dataSource, `UPDATE audit_events SET outcome = 'failure' WHERE seq = 2`);
    await eventually(async () => (await http().get('/health/ready')).status === 503);
    const outbox = () =>
      http().get('/api/sandbox/outbox').set('X-API-Key', TEST_ADMIN_KEY).expect(200);
    const before = (await outbox()).body;

    const res = await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: 'Your results are ready.' })
      .expect(503);
    expectErrorContract(res.body, 'AUDIT_CHAIN_BROKEN');
    expect(res.body.error.retryable).toBe(false);
    expect((await outbox()).body).toEqual(before);
  });
}
