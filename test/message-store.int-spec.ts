import { UnitOfWork } from '../src/database/unit-of-work.js';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { MessageEntity } from '../src/messages/message.entity.js';
import { claimConflictOf, MessageStore } from '../src/messages/message.store.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** The same specification for every database the service supports. */
function messageStoreSpec(env: () => Record<string, string>) {
  let app: INestApplication;
  let store: MessageStore;
  beforeAll(async () => {
    app = await createTestApp({ env: env() });
    store = app.get(MessageStore);
  });
  const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) =>
    app.get(UnitOfWork).run(work);
  afterAll(async () => {
    await app.close();
  });

  const newMessage = (id: string, idempotencyKey: string | null = null) => ({
    id,
    tool: 'send_sms',
    apiKeyName: 'agent',
    idempotencyKey,
    requestFingerprint: idempotencyKey ? 'f'.repeat(64) : null,
    dedupeKey: null,
    recipient: '+12025550143',
    recipientHash: 'a'.repeat(64),
    bodySha256: 'b'.repeat(64),
    segments: 1,
    encoding: 'GSM-7',
    transport: 'sandbox',
    conversationId: 'conv_1',
    callerId: null,
    agentId: null,
    sendAt: new Date('2026-12-02T15:30:00.000Z'),
  });

  it('runs the migrations: the messages table exists with its columns', async () => {
    const runner = app.get(DataSource).createQueryRunner();
    try {
      const table = await runner.getTable('messages');
      expect(table?.columns.map((c) => c.name)).toEqual(
        expect.arrayContaining([
          'id',
          'recipient_hash',
          'body_sha256',
          'status',
          'provider_sid',
          'response',
        ]),
      );
    } finally {
      await runner.release();
    }
  });

  it('claims a row as accepted, then settles it, keeping timestamps as instants', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const claimed = await inTransaction((m) => store.claim(m, newMessage(id)));
    expect(claimed.status).toBe('accepted');
    await inTransaction((m) =>
      store.settle(m, id, {
        status: 'queued',
        providerSid: 'SM' + '0'.repeat(32),
        response: { status: 201, body: { ok: true } },
      }),
    );
    const row = await store.findById(id);
    expect(row).toMatchObject({
      status: 'queued',
      providerSid: 'SM' + '0'.repeat(32),
      errorCode: null,
    });
    expect(JSON.parse(row?.responseJson ?? 'null')).toEqual({ ok: true });
    expect(row?.responseStatus).toBe(201);
    expect(row?.sendAt?.toISOString()).toBe('2026-12-02T15:30:00.000Z');
    expect(Math.abs(new Date(row!.createdAt).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('lets one API key use an idempotency key once', async () => {
    await inTransaction((m) =>
      store.claim(m, newMessage('22222222-2222-4222-8222-222222222222', 'key-1')),
    );
    const second = inTransaction((m) =>
      store.claim(m, newMessage('33333333-3333-4333-8333-333333333333', 'key-1')),
    );
    await expect(second).rejects.toBeInstanceOf(QueryFailedError);
    expect(claimConflictOf(await second.catch((e: unknown) => e))).toBe('idempotency_key');
    expect(
      await app.get(DataSource).getRepository(MessageEntity).countBy({ idempotencyKey: 'key-1' }),
    ).toBe(1);
  });

  it('stores a send made over HTTP and reports its status', async () => {
    const sent = await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: 'Hello' })
      .expect(201);
    const row = await store.findById(sent.body.message_id);
    expect(row).toMatchObject({ status: 'sent', recipient: '+12025550143', apiKeyName: 'agent' });
  });
}

describe('message store on SQLite (file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  messageStoreSpec(() => ({ SQLITE_PATH: join(dir, 'gateway.sqlite') }));
});

describeWithPostgres('message store on PostgreSQL', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('messages');
  });
  afterAll(async () => {
    await db.drop();
  });
  messageStoreSpec(() => ({ DATABASE_URL: db.url }));
});
