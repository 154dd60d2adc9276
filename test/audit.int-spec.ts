import { UnitOfWork } from '../src/database/unit-of-work.js';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import { auditAttackSuite } from './audit-attacks.suite.js';
import { auditChainSuite, sendEvent } from './audit-chain.suite.js';
import { auditKeysSuite } from './audit-keys.suite.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';

describeWithPostgres('audit hash chain on PostgreSQL', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('audit_chain');
  });
  afterAll(async () => {
    await db.drop();
  });

  describe('the chain specification', () => {
    auditChainSuite(() => ({ type: 'postgres', url: db.url, sqlitePath: '', migrationsRun: true }));
  });

  describe('keys, re-anchoring, checkpoints and purge records', () => {
    auditKeysSuite(() => ({ type: 'postgres', url: db.url, sqlitePath: '', migrationsRun: true }));
  });
});

describeWithPostgres(
  'the audit trail against someone who can write the database (PostgreSQL)',
  () => {
    auditAttackSuite(async () => {
      const db = await createScratchPostgres('audit_attack');
      return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
    });
  },
);

describeWithPostgres('audit appends from two app instances on one PostgreSQL', () => {
  let db: ScratchDatabase;
  let first: INestApplication;
  let second: INestApplication;
  beforeAll(async () => {
    db = await createScratchPostgres('audit_instances');
    // One after the other: the second finds the migrations already run.
    first = await createTestApp({ env: { DATABASE_URL: db.url } });
    second = await createTestApp({ env: { DATABASE_URL: db.url } });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db.drop();
  });

  it('keeps one gapless chain when both append 50 events at the same time', async () => {
    const appendFrom = (app: INestApplication, instance: string) =>
      Array.from({ length: 50 }, (_, i) =>
        app.get(AuditLogService).append(sendEvent(i + 1, { actor: instance })),
      );
    const appended = await Promise.all([
      ...appendFrom(first, 'instance-1'),
      ...appendFrom(second, 'instance-2'),
    ]);
    expect(new Set(appended.map((e) => e.seq)).size).toBe(100);

    const stored = await first
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .find({ order: { seq: 'ASC' } });
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Interleaved, so the lock really was contended across instances.
    const switches = stored.filter((e, i) => i > 0 && e.actor !== stored[i - 1].actor).length;
    expect(switches).toBeGreaterThan(1);

    const verified = await request(second.getHttpServer())
      .get('/api/audit/verify')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    expect(verified.body).toMatchObject({ ok: true, checked: 100, first_broken_seq: null });
  });

  it('keeps the chain when a message-row-style transaction rolls back on one instance', async () => {
    const audit = first.get(AuditLogService);
    const before = await audit.verify();
    await Promise.all([
      first
        .get(UnitOfWork)
        .run(async (manager) => {
          await audit.append(sendEvent(900), manager);
          throw new Error('claim failed');
        })
        .catch(() => undefined),
      ...Array.from({ length: 10 }, (_, i) => second.get(AuditLogService).append(sendEvent(i))),
    ]);
    const after = await audit.verify();
    expect(after).toMatchObject({ ok: true, checked: before.checked + 10 });
  });
});
