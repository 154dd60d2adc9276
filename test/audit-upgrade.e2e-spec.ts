import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { canonicalEvent, GENESIS_HASH } from '../src/audit/audit-chain.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { KeyedDigests } from '../src/common/keyed-digest.js';
import { databaseConfig, type DatabaseConfig } from '../src/config/database.config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { rawQuery } from '../src/database/direct-sql.js';
import { migrations } from '../src/database/migrations/index.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const MESSAGE_ID = '33333333-3333-4333-8333-333333333333';
const BODY = sha256('Your prescription is ready for pickup.');
const DEDUPE = sha256('voice-agent\nsend_sms\n+12025550143');
const FINGERPRINT = sha256('{"tool":"send_sms"}');
const LAST_OLD_MIGRATION = 'AddReminderOf1764120000000';

/**
 * A database as the release before the keyed chain left it: its migrations only, three unkeyed
 * audit events and a message row with plain digests.
 */
async function olderRelease(config: DatabaseConfig): Promise<string[]> {
  const upTo = migrations.findIndex((m) => m.name === LAST_OLD_MIGRATION) + 1;
  const dataSource = new DataSource({
    ...dataSourceOptions(config),
    migrations: migrations.slice(0, upTo),
    migrationsRun: true,
  });
  await dataSource.initialize();
  const postgres = config.type === 'postgres';
  const hashes: string[] = [];
  try {
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const event = {
        seq,
        at: new Date(Date.UTC(2026, 10, 25, 10, 0, seq)),
        actor: 'voice-agent',
        action: 'sms.sent',
        messageId: MESSAGE_ID,
        recipientMasked: null,
        recipientHash: null,
        outcome: 'success',
        requestId: `req-${seq}`,
        conversationId: null,
        details: null,
        prevHash,
        keyId: null,
      };
      prevHash = sha256(canonicalEvent(event));
      hashes.push(prevHash);
      // As TypeORM stores a datetime on SQLite: UTC, a space, no zone.
      const at = postgres ? event.at : event.at.toISOString().replace('T', ' ').replace('Z', '');
      await rawQuery(
        dataSource.manager,
        `INSERT INTO "audit_events" ("seq", "at", "actor", "action", "message_id", "outcome",
           "request_id", "prev_hash", "hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          seq,
          at,
          event.actor,
          event.action,
          MESSAGE_ID,
          'success',
          event.requestId,
          event.prevHash,
          prevHash,
        ],
      );
    }
    await rawQuery(
      dataSource.manager,
      `INSERT INTO "messages" ("id", "tool", "api_key_name", "recipient", "recipient_hash",
         "body_sha256", "segments", "encoding", "status", "transport", "dedupe_key",
         "request_fingerprint", "idempotency_key")
       VALUES (?, 'send_sms', 'voice-agent', '+12025550143', ?, ?, 1, 'GSM-7', 'sent', 'sandbox', ?, ?, 'key-1')`,
      [MESSAGE_ID, 'a'.repeat(64), BODY, DEDUPE, FINGERPRINT],
    );
  } finally {
    await dataSource.destroy();
  }
  return hashes;
}

function upgradeSpec(open: () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>) {
  let app: INestApplication;
  let drop: () => Promise<void>;
  let oldHashes: string[];

  beforeAll(async () => {
    const database = await open();
    drop = database.drop;
    const previous = { ...process.env };
    Object.assign(process.env, database.env, { DATABASE_URL: database.env.DATABASE_URL ?? '' });
    try {
      oldHashes = await olderRelease(databaseConfig());
    } finally {
      process.env = previous;
    }
    app = await createTestApp({ env: database.env });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('re-anchors the unkeyed chain once at boot; the whole chain verifies and stays keyed', async () => {
    const events = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .find({ order: { seq: 'ASC' } });
    expect(events.map((e) => [e.seq, e.action, e.keyId === null])).toEqual([
      [1, 'sms.sent', true],
      [2, 'sms.sent', true],
      [3, 'sms.sent', true],
      [4, 'audit.reanchored', false],
    ]);
    expect(events[3].prevHash).toBe(oldHashes[2]);
    expect(JSON.parse(events[3].details!)).toEqual({
      chain_version: 2,
      previous_seq: 3,
      previous_hash: oldHashes[2],
    });
    const verified = await request(app.getHttpServer())
      .get('/api/audit/verify')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    expect(verified.body).toMatchObject({ ok: true, checked: 4, first_broken_seq: null });
  });

  it('keys the digests already stored in messages the way new rows are keyed', async () => {
    const row = await app.get(DataSource).getRepository(MessageEntity).findOneByOrFail({
      id: MESSAGE_ID,
    });
    const digests = app.get(KeyedDigests);
    expect(row).toMatchObject({
      bodySha256: digests.of(BODY),
      dedupeKey: digests.of(DEDUPE),
      requestFingerprint: digests.of(FINGERPRINT),
    });
  });
}

describe('upgrading a database from before the keyed chain (e2e, SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  upgradeSpec(() =>
    Promise.resolve({
      env: { SQLITE_PATH: join(dir, 'gateway.sqlite') },
      drop: () => Promise.resolve(),
    }),
  );
});

describeWithPostgres('upgrading a database from before the keyed chain (e2e, PostgreSQL)', () => {
  let db: ScratchDatabase;
  upgradeSpec(async () => {
    db = await createScratchPostgres('audit_upgrade');
    return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
  });
});
