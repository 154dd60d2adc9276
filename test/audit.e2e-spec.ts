import { AuditEventRepository } from '../src/audit/audit-event.repository.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { canonicalJson, hashEvent } from '../src/audit/audit-chain.js';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import { ChainKeyring } from '../src/audit/chain-keys.js';
import type { AuditEventDto } from '../src/audit/dto/audit-event.dto.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import { openAuditLog, sendEvent, tamper } from './audit-chain.suite.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const PATIENT = '+12025550143';
const OTHER_PATIENT = '+12025550199';
const MESSAGE_A = '11111111-1111-4111-8111-111111111111';
const MESSAGE_B = '22222222-2222-4222-8222-222222222222';

/** Reads a response as it streams, counting the chunks that arrive. */
function streamed(res: request.Response, done: (error: Error | null, body: unknown) => void) {
  let text = '';
  let chunks = 0;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    chunks += 1;
    text += chunk;
  });
  res.on('end', () => done(null, { text, chunks }));
  res.on('error', done);
}

/** The NDJSON line is enough for anyone holding the chain key to recompute the event's hash. */
function rehash(event: AuditEventDto, keys: ChainKeyring): string | null {
  return hashEvent(
    {
      seq: event.seq,
      at: new Date(event.at),
      actor: event.actor,
      action: event.action,
      messageId: event.message_id,
      recipientMasked: event.recipient_masked,
      recipientHash: event.recipient_hash,
      outcome: event.outcome,
      requestId: event.request_id,
      conversationId: event.conversation_id,
      details: event.details === null ? null : canonicalJson(event.details),
      prevHash: event.prev_hash,
      keyId: event.key_id,
    },
    keys,
  );
}

function auditReadSpec(env: () => Record<string, string>) {
  let app: INestApplication;
  let audit: AuditLogService;
  const http = () => request(app.getHttpServer());
  const asAdmin = (path: string) => http().get(path).set('X-API-Key', TEST_ADMIN_KEY);
  const events = async (query: Record<string, string | number>) =>
    (await asAdmin('/api/audit/events').query(query).expect(200)).body as {
      events: AuditEventDto[];
      next_cursor: string | null;
    };

  beforeAll(async () => {
    app = await createTestApp({ env: env() });
    audit = app.get(AuditLogService);
    // The time-range test needs each event in a millisecond of its own.
    const nextMillisecond = async () => {
      const now = Date.now();
      while (Date.now() === now) await new Promise((resolve) => setImmediate(resolve));
    };
    await audit.append(sendEvent(1, { action: 'sms.requested', messageId: MESSAGE_A }));
    await nextMillisecond();
    await audit.append(sendEvent(2, { messageId: MESSAGE_A, conversationId: 'conv_a' }));
    await nextMillisecond();
    await audit.append(
      sendEvent(3, {
        action: 'sms.failed',
        outcome: 'failure',
        messageId: MESSAGE_B,
        recipient: OTHER_PATIENT,
        conversationId: 'conv_b',
        details: { error_code: 'RECIPIENT_OPTED_OUT', note: '=HYPERLINK("x"), "quoted"' },
      }),
    );
    await audit.append({
      actor: 'twilio',
      action: 'twilio.status',
      outcome: 'success',
      messageId: MESSAGE_A,
      recipient: PATIENT,
      details: { provider_status: 'delivered' },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  describe('who may read', () => {
    it.each(['/api/audit/events', '/api/audit/verify', '/api/audit/export'])(
      '%s needs a key (401) with the audit.read scope (403)',
      async (path) => {
        const anonymous = await http().get(path).expect(401);
        expect(anonymous.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
        const agent = await http().get(path).set('X-API-Key', TEST_API_KEY).expect(403);
        expect(agent.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
        expect(agent.body.error.message).toContain('audit.read');
      },
    );
  });

  describe('GET /api/audit/events', () => {
    it('lists events oldest first with every field', async () => {
      const page = await events({ action: 'twilio.status' });
      expect(page.next_cursor).toBeNull();
      expect(page.events).toHaveLength(1);
      expect(page.events[0]).toEqual({
        seq: 4,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        actor: 'twilio',
        action: 'twilio.status',
        outcome: 'success',
        message_id: MESSAGE_A,
        recipient_masked: '***-***-0143',
        recipient_hash: app.get(RecipientHasher).hash(PATIENT),
        request_id: null,
        conversation_id: null,
        details: { provider_status: 'delivered' },
        prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        key_id: app.get(ChainKeyring).current.id,
      });
    });

    it.each([
      ['message_id', { message_id: MESSAGE_A }, [1, 2, 4]],
      ['conversation_id', { conversation_id: 'conv_b' }, [3]],
      ['action', { action: 'sms.failed' }, [3]],
      ['actor', { actor: 'twilio' }, [4]],
      ['request_id', { request_id: 'req-2' }, [2]],
      ['phone_number (hashed before the lookup)', { phone_number: OTHER_PATIENT }, [3]],
      ['several at once', { message_id: MESSAGE_A, actor: 'voice-agent' }, [1, 2]],
    ])('filters by %s', async (_name, query, seqs) => {
      const page = await events(query);
      expect(page.events.map((e) => e.seq)).toEqual(seqs);
    });

    it('filters by time range: from inclusive, to exclusive', async () => {
      const all = (await events({ actor: 'voice-agent' })).events;
      const page = await events({ actor: 'voice-agent', from: all[1].at, to: all[2].at });
      expect(page.events.map((e) => e.seq)).toEqual([2]);
    });

    it('pages with next_cursor until it is null, never repeating an event', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await events({
          limit: 1,
          ...(cursor ? { cursor } : {}),
          message_id: MESSAGE_A,
        });
        seen.push(...page.events.map((e) => e.seq));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen).toEqual([1, 2, 4]);
    });

    it.each([
      ['a number not in E.164', { phone_number: '202-555-0143' }, 'phone_number'],
      ['an unknown action', { action: 'sms.deleted' }, 'action'],
      ['a limit over 500', { limit: 501 }, 'limit'],
      ['a time without a date', { from: '10:00' }, 'from'],
      ['an unknown filter', { recipient: PATIENT }, 'recipient'],
      ['a cursor it never gave out', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
    ])('refuses %s with 400', async (_name, query, field) => {
      const res = await asAdmin('/api/audit/events').query(query).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details)).toContain(field);
      expect(JSON.stringify(res.body)).not.toContain('2025550143');
    });

    it('records the read as an audit.read event: who, which request, which filters', async () => {
      const res = await asAdmin('/api/audit/events')
        .query({ phone_number: PATIENT, action: 'twilio.status' })
        .expect(200);
      const requestId = res.headers['x-request-id'];
      const [read] = (await events({ action: 'audit.read', request_id: requestId })).events;
      expect(read).toMatchObject({
        actor: 'ops',
        outcome: 'success',
        request_id: requestId,
        details: {
          endpoint: 'events',
          returned: 1,
          filters: {
            action: 'twilio.status',
            recipient_hash: app.get(RecipientHasher).hash(PATIENT),
          },
        },
      });
      expect(JSON.stringify(read)).not.toContain('2025550143');
    });
  });

  describe('GET /api/audit/verify', () => {
    it('answers ok for an intact chain and records the check', async () => {
      const res = await asAdmin('/api/audit/verify').expect(200);
      expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
      expect(res.body.checked).toBeGreaterThanOrEqual(4);
      const [read] = (
        await events({ action: 'audit.read', request_id: res.headers['x-request-id'] })
      ).events;
      expect(read.details).toMatchObject({ endpoint: 'verify', ok: true });
    });
  });

  describe('GET /api/audit/export', () => {
    it('streams NDJSON from which every hash can be recomputed', async () => {
      const res = await asAdmin('/api/audit/export')
        .query({ format: 'ndjson' })
        .buffer(true)
        .parse(streamed)
        .expect(200);
      expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="audit-events.ndjson"');
      const lines = (res.body as { text: string }).text.trimEnd().split('\n');
      const exported = lines.map((line) => JSON.parse(line) as AuditEventDto);
      expect(exported.slice(0, 4).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      exported.forEach((event, i) => {
        expect(rehash(event, app.get(ChainKeyring))).toBe(event.hash);
        if (i > 0) expect(event.prev_hash).toBe(exported[i - 1].hash);
      });
    });

    it('streams CSV with a header, quoting, and formulas neutralised', async () => {
      const res = await asAdmin('/api/audit/export')
        .query({ format: 'csv', message_id: MESSAGE_B })
        .buffer(true)
        .parse(streamed)
        .expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, row, end] = (res.body as { text: string }).text.split('\r\n');
      expect(header).toBe(
        'seq,at,actor,action,outcome,message_id,recipient_masked,recipient_hash,request_id,conversation_id,details,prev_hash,hash,key_id',
      );
      expect(row).toMatch(/^3,[^,]+,voice-agent,sms\.failed,failure,2222/);
      expect(row).toContain(
        '"{""error_code"":""RECIPIENT_OPTED_OUT"",""note"":""=HYPERLINK(\\""x\\""), \\""quoted\\""""}"',
      );
      expect(end).toBe('');
    });

    it('records the export as an audit.read event before streaming', async () => {
      const res = await asAdmin('/api/audit/export').query({ format: 'csv', action: 'sms.failed' });
      const [read] = (
        await events({ action: 'audit.read', request_id: res.headers['x-request-id'] })
      ).events;
      expect(read.details).toEqual({
        resource: 'audit_events',
        endpoint: 'export',
        format: 'csv',
        filters: { action: 'sms.failed' },
        platform: 'rest',
        client_ip: expect.stringMatching(/^(::1|127\.0\.0\.1)$/),
        key_fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
        route: '/api/audit/export',
      });
    });

    it('refuses an unknown format', async () => {
      const res = await asAdmin('/api/audit/export').query({ format: 'xlsx' }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('exporting 10,000 events', () => {
    it('streams them in bounded batches, never the whole table at once', async () => {
      await app.get(UnitOfWork).run(async (manager) => {
        for (let n = 1; n <= 10_000; n++) {
          await audit.append(sendEvent(n, { conversationId: 'conv_bulk' }), manager);
        }
      });
      const page = jest.spyOn(app.get(AuditEventRepository), 'page');
      const heapBefore = process.memoryUsage().heapUsed;
      try {
        const res = await asAdmin('/api/audit/export')
          .query({ conversation_id: 'conv_bulk' })
          .buffer(true)
          .parse(streamed)
          .expect(200);
        const { text, chunks } = res.body as { text: string; chunks: number };
        expect(res.headers['transfer-encoding']).toBe('chunked');
        expect(res.headers['content-length']).toBeUndefined();
        expect(text.trimEnd().split('\n')).toHaveLength(10_000);
        expect(chunks).toBeGreaterThan(1);
        expect(page.mock.calls.length).toBeGreaterThanOrEqual(20);
        for (const call of page.mock.calls) expect(call[2]).toBeLessThanOrEqual(500);
        // Loose: the response text itself is ~6 MB; a whole-table load would be far more.
        expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
      } finally {
        page.mockRestore();
      }
      await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    }, 180_000);
  });

  describe('tampering, as seen over HTTP', () => {
    it('makes verify answer the broken seq', async () => {
      await tamper(
        app.get(DataSource),
        `UPDATE audit_events SET outcome = 'failure' WHERE seq = 2`,
      );
      const res = await asAdmin('/api/audit/verify').expect(200);
      expect(res.body).toMatchObject({ ok: false, checked: 1, first_broken_seq: 2 });
    });
  });
}

describe('audit read side (e2e, SQLite)', () => {
  auditReadSpec(() => ({}));

  describe('Swagger', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp();
    });
    afterAll(async () => {
      await app.close();
    });

    it('documents the three endpoints, the scope and the error responses', async () => {
      const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
      const list = doc.paths['/api/audit/events'].get;
      expect(list.operationId).toBe('list_audit_events');
      expect(Object.keys(list.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '403']),
      );
      expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['phone_number', 'message_id', 'cursor', 'limit', 'from', 'to']),
      );
      expect(Object.keys(doc.paths['/api/audit/verify'].get.responses)).toEqual(
        expect.arrayContaining(['200', '401', '403']),
      );
      expect(Object.keys(doc.paths['/api/audit/export'].get.responses['200'].content)).toEqual([
        'application/x-ndjson; charset=utf-8',
        'text/csv; charset=utf-8',
      ]);
    });
  });
});

describe('audit events survive a restart (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-audit-'));
  const env = { SQLITE_PATH: join(dir, 'gateway.sqlite') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a new app instance on the same file reads, verifies and extends the chain', async () => {
    const first = await createTestApp({ env });
    try {
      for (let n = 1; n <= 3; n++) await first.get(AuditLogService).append(sendEvent(n));
    } finally {
      await first.close();
    }

    const second = await createTestApp({ env });
    try {
      const page = await request(second.getHttpServer())
        .get('/api/audit/events')
        .query({ actor: 'voice-agent' })
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200);
      expect(page.body.events.map((e: AuditEventDto) => e.request_id)).toEqual([
        'req-1',
        'req-2',
        'req-3',
      ]);
      const next = await second.get(AuditLogService).append(sendEvent(4));
      expect(next.seq).toBe(5); // 3 events, the audit.read of the listing, then this one
      await expect(second.get(AuditLogService).verify()).resolves.toMatchObject({
        ok: true,
        checked: 5,
      });
    } finally {
      await second.close();
    }
  });
});

describe('another process writing the same SQLite file (the CLI next to a running app)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A second process that takes the write lock, writes, and holds it for a while. */
  function holdWriteLock(path: string, ms: number): Promise<() => Promise<void>> {
    const script = `
      const db = require('better-sqlite3')(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      db.exec('INSERT INTO lock_probe VALUES (1)');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
      db.exec('COMMIT');`;
    const child = spawn(process.execPath, ['-e', script, path, String(ms)], { cwd: process.cwd() });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      child.stdout.once('data', () => resolve(() => exited));
      child.once('error', reject);
    });
  }

  it('makes an append wait for the lock instead of failing on a stale snapshot', async () => {
    const path = join(dir, 'shared.sqlite');
    const { dataSource, audit, close } = await openAuditLog({
      type: 'sqlite',
      url: undefined,
      sqlitePath: path,
      migrationsRun: true,
    });
    try {
      await dataSource.query('CREATE TABLE lock_probe (x integer)');
      await audit.append(sendEvent(1));
      const released = await holdWriteLock(path, 300);
      await expect(audit.append(sendEvent(2))).resolves.toMatchObject({ seq: 2 });
      await released();
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
    } finally {
      await close();
    }
  });
});

describeWithPostgres('audit read side (e2e, PostgreSQL)', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('audit_read');
  });
  afterAll(async () => {
    await db.drop();
  });
  // Nested, so the app closes before its database is dropped.
  describe('on a scratch database', () => {
    auditReadSpec(() => ({ DATABASE_URL: db.url }));
  });
});
