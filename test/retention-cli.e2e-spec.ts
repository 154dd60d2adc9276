import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { runRetentionCli, type CliOutput } from '../src/retention/retention-cli.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const DAY_MS = 86_400_000;

/** runRetentionCli with the environment the command would see, and what it printed. */
async function cli(args: string[], env: Record<string, string | undefined>) {
  const lines = { out: [] as string[], err: [] as string[] };
  const io: CliOutput = { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await runRetentionCli(args, io);
    return { code, ...lines, json: lines.out[0] ? JSON.parse(lines.out[0]) : undefined };
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('retention CLI (npm run retention:purge)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-retention-cli-'));
  const env = { SQLITE_PATH: join(dir, 'gateway.sqlite'), DATABASE_URL: undefined };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A text sent through the app, then moved back `days` in time (one per number: no dedupe). */
  async function sentDaysAgo(days: number, phone: string): Promise<string> {
    const app = await createTestApp({ env });
    try {
      const res = await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: phone, message: 'Your lab results are ready.' })
        .expect(201);
      const at = new Date(Date.now() - days * DAY_MS);
      await app
        .get(DataSource)
        .getRepository(MessageEntity)
        .update({ id: res.body.message_id }, { createdAt: at, updatedAt: at });
      return res.body.message_id as string;
    } finally {
      await app.close();
    }
  }

  /** What the database holds now, read by the app. */
  async function stored() {
    const app = await createTestApp({ env });
    try {
      const data = app.get(DataSource);
      return {
        messages: (await data.getRepository(MessageEntity).find()).map((m) => m.id),
        events: await data.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } }),
      };
    } finally {
      await app.close();
    }
  }

  it('purges every table now, records --operator on each purge, prints the run, exits 0', async () => {
    const old = await sentDaysAgo(400, '+12025550143');
    const young = await sentDaysAgo(10, '+12025550144');

    const run = await cli(['--operator', 'alice@clinic.example'], env);

    expect(run).toMatchObject({ code: 0, err: [] });
    expect(run.json).toMatchObject({ actor: 'operator:alice@clinic.example', trigger: 'manual' });
    expect(run.json.tables.map((t: { table: string }) => t.table)).toEqual([
      'messages',
      'scheduled_texts',
      'consents',
      'consent_changes',
      'line_types',
      'event_outbox',
      'inbound_messages',
      'audit_events',
    ]);
    expect(run.json.tables[0]).toMatchObject({ table: 'messages', purged: 1 });
    const { messages, events } = await stored();
    expect(messages).toEqual([young]);
    expect(messages).not.toContain(old);
    const purges = events.filter((e) => e.action === 'data.purged' || e.action === 'audit.purged');
    expect(purges).toHaveLength(8);
    expect(purges.every((e) => e.actor === 'operator:alice@clinic.example')).toBe(true);
  });

  it('names the OS user when no --operator is given', async () => {
    const run = await cli([], env);

    expect(run.code).toBe(0);
    expect(run.json.actor).toBe(`operator:${userInfo().username}`);
  });

  it('refuses an operator name that is not one, purging nothing (exit 2)', async () => {
    const before = (await stored()).events.length;

    const run = await cli(['--operator', 'x; DROP TABLE messages'], env);

    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/operator name/);
    expect((await stored()).events).toHaveLength(before);
  });

  it('refuses a retention below its production floor, naming the variable (exit 2)', async () => {
    const run = await cli(['--operator', 'alice'], {
      ...env,
      NODE_ENV: 'production',
      AUDIT_HASH_KEY: 'retention-cli-spec-hash-key-0123456789',
      MESSAGES_RETENTION_DAYS: '7',
    });

    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(
      /MESSAGES_RETENTION_DAYS must be at least 30 days in production/,
    );
  });
});
