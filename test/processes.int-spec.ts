import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startInstances } from '../scripts/cluster.mjs';
import { freePort } from './support/free-port.js';
import { createScratchPostgres, type ScratchDatabase } from './support/databases.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

/** These start the built app (dist/main.js) as real processes, as production runs it. */
const KEYS = `agent:${TEST_API_KEY}:sms.send+sms.read,ops:${TEST_ADMIN_KEY}:audit.read`;
const describeWithPostgresAndRedis =
  process.env.DATABASE_URL && process.env.REDIS_URL ? describe : describe.skip;

const twilioEnv = (stub: TwilioStub) => ({
  // These suites run at any hour; quiet hours have their own suite.
  QUIET_HOURS: 'off',
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: 'process-test-token',
  TWILIO_PHONE_NUMBER: '+12025550100',
  TWILIO_API_BASE_URL: stub.baseUrl,
});

function post(url: string, body: object, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/sms/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY, ...headers },
    body: JSON.stringify({ phone_number: '+12025550143', ...body }),
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('graceful shutdown of the built app (process)', () => {
  let stub: TwilioStub;
  let dir: string;
  beforeAll(async () => {
    stub = await startTwilioStub();
    dir = mkdtempSync(join(tmpdir(), 'gateway-shutdown-'));
  });
  afterAll(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes a slow send and its audit events after SIGTERM, then exits', async () => {
    const sqlitePath = join(dir, 'gateway.sqlite');
    const port = await freePort();
    const instance = await startInstances({
      ports: [port],
      env: {
        ...twilioEnv(stub),
        API_KEYS: KEYS,
        // This suite reads the SQLite file afterwards: keep CI's PostgreSQL and Redis out of it.
        DATABASE_URL: '',
        REDIS_URL: '',
        SQLITE_PATH: sqlitePath,
        LOG_LEVEL: 'silent',
      },
    });
    stub.respondWith({ type: 'message', delayMs: 1500 });

    const answer = post(instance.urls[0], { message: 'Sent while shutting down' });
    await waitFor(() => stub.creates === 1, 10_000);
    const exitCodes = instance.stop('SIGTERM');

    const res = await answer;
    expect(res.status).toBe(201);
    const body = (await res.json()) as { message_id: string; status: string };
    expect(body.status).toBe('queued');
    // Nest re-raises the signal once its shutdown hooks are done: ended by SIGTERM, not killed mid-send.
    expect(await exitCodes).toEqual(['SIGTERM']);

    // Not readonly: a WAL database needs its -shm file, which a readonly handle cannot create.
    const db = new Database(sqlitePath);
    try {
      const row = db.prepare('SELECT status FROM messages WHERE id = ?').get(body.message_id) as {
        status: string;
      };
      expect(row.status).toBe('queued');
      const actions = db
        .prepare('SELECT action FROM audit_events WHERE message_id = ? ORDER BY seq')
        .all(body.message_id)
        .map((r) => (r as { action: string }).action);
      expect(actions).toEqual(['sms.requested', 'sms.sent']);
      const unsettled = db
        .prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'accepted'")
        .get() as { n: number };
      expect(unsettled.n).toBe(0);
    } finally {
      db.close();
    }
  }, 60_000);
});

describeWithPostgresAndRedis('two instances on one PostgreSQL and one Redis (processes)', () => {
  let stub: TwilioStub;
  let db: ScratchDatabase;
  let cluster: Awaited<ReturnType<typeof startInstances>>;
  beforeAll(async () => {
    stub = await startTwilioStub();
    db = await createScratchPostgres('cluster');
    cluster = await startInstances({
      ports: [await freePort(), await freePort()],
      env: {
        ...twilioEnv(stub),
        API_KEYS: KEYS,
        DATABASE_URL: db.url,
        REDIS_URL: process.env.REDIS_URL as string,
        REDIS_KEY_PREFIX: `cluster-${randomBytes(4).toString('hex')}:`,
        RATE_LIMIT_PER_RECIPIENT_10MIN: '1000',
        RATE_LIMIT_PER_RECIPIENT_DAY: '1000',
        RATE_LIMIT_PER_KEY: '1000',
        LOG_LEVEL: 'silent',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await stub.close();
    await db.drop();
  });

  it('sends once for 50 concurrent requests with one Idempotency-Key across both', async () => {
    stub.respondWith({ type: 'message', delayMs: 100 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(
          cluster.urls[i % 2],
          { message: 'Across processes' },
          { 'idempotency-key': 'process-key-1' },
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(stub.creates).toBe(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(
      answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') !== 'true'),
    ).toHaveLength(1);
  });

  it('keeps one audit chain that verifies after both appended', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(cluster.urls[i % 2], { message: `Chain ${i}` })),
    );
    for (const url of cluster.urls) {
      const res = await fetch(`${url}/api/audit/verify`, {
        headers: { 'x-api-key': TEST_ADMIN_KEY },
      });
      expect(res.status).toBe(200);
      const verdict = (await res.json()) as {
        ok: boolean;
        checked: number;
        first_broken_seq: number | null;
      };
      expect(verdict).toMatchObject({ ok: true, first_broken_seq: null });
      // 50 idempotent requests and 10 sends: at least requested + settled for each send.
      expect(verdict.checked).toBeGreaterThanOrEqual(22);
    }
  });
});
