import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runAuditCli, type CliOutput } from '../src/audit/audit-cli.js';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { sendEvent, tamper } from './audit-chain.suite.js';
import { createTestApp } from './support/test-app.js';

/** runAuditCli with the environment the command would see, and what it printed. */
async function cli(args: string[], env: Record<string, string | undefined>) {
  const lines = { out: [] as string[], err: [] as string[] };
  const io: CliOutput = { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  try {
    const code = await runAuditCli(args, io);
    return { code, ...lines, json: lines.out[0] ? JSON.parse(lines.out[0]) : undefined };
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('audit CLI (npm run audit:verify | audit:purge | audit:hash | audit:search)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-audit-cli-'));
  const env = { SQLITE_PATH: join(dir, 'gateway.sqlite'), DATABASE_URL: undefined };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const exportFile = join(dir, 'audit-events.ndjson');
  let patientHash: string | null = null;

  beforeAll(async () => {
    const app = await createTestApp({ env });
    try {
      const audit = app.get(AuditLogService);
      for (let n = 1; n <= 5; n++) {
        const recipient = n % 2 ? '+12025550143' : '+12025550199';
        await audit.append(sendEvent(n, { recipient }));
      }
      let text = '';
      for await (const chunk of audit.exportStream('ndjson')) text += String(chunk);
      writeFileSync(exportFile, text);
      const [first] = await app.get(DataSource).getRepository(AuditEventEntity).findBy({ seq: 1 });
      patientHash = first.recipientHash;
    } finally {
      await app.close();
    }
  });

  /** Nothing may be opened there: hash and search work without a database. */
  const offline = { SQLITE_PATH: '/proc/no-database-here/gateway.sqlite', DATABASE_URL: undefined };

  it('hash prints the keyed hash of a number as recipient_hash holds it, with no database', async () => {
    const run = await cli(['hash', '(202) 555-0143'], offline);
    expect(run).toMatchObject({ code: 0, err: [] });
    expect(run.json).toEqual({ recipient_hash: patientHash, recipient_masked: '***-***-0143' });
    expect(run.out.join('\n')).not.toContain('2025550143');
  });

  it('search prints the events of one number from an NDJSON export, offline', async () => {
    const run = await cli(['search', exportFile, '+1 202 555 0143'], offline);
    expect(run.code).toBe(0);
    const found = run.out.map(
      (line) => JSON.parse(line) as { seq: number; recipient_hash: string },
    );
    expect(found.map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(run.err).toEqual(['3 of 5 events are for that number.']);
    const lines = readFileSync(exportFile, 'utf8').trim().split('\n');
    expect(run.out).toEqual([lines[0], lines[2], lines[4]]);
  });

  it('search exits 1 when no event is for the number', async () => {
    const run = await cli(['search', exportFile, '+12025550100'], offline);
    expect(run).toMatchObject({ code: 1, out: [], err: ['0 of 5 events are for that number.'] });
  });

  it('verify prints the result and exits 0 for an intact chain', async () => {
    const run = await cli(['verify'], env);
    expect(run).toMatchObject({ code: 0, err: [] });
    expect(run.json).toMatchObject({ ok: true, checked: 5, first_broken_seq: null, last_seq: 5 });
  });

  it('purge removes nothing younger than the retention, records who ran it, exits 0', async () => {
    const run = await cli(['purge', '--operator', 'dana.ops'], env);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      purged_count: 0,
      purged_through_seq: null,
      record_seq: 6,
    });
    const byOsUser = await cli(['purge'], env);
    expect(byOsUser.json).toMatchObject({ record_seq: 7 });
    const app = await createTestApp({ env });
    try {
      const records = await app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .find({ where: { action: 'audit.purged' }, order: { seq: 'ASC' } });
      expect(records.map((e) => e.actor)).toEqual([
        'operator:dana.ops',
        `operator:${userInfo().username}`,
      ]);
    } finally {
      await app.close();
    }
    expect((await cli(['verify'], env)).json).toMatchObject({ ok: true, checked: 7 });
  });

  it('verify exits 1 and names the event when the chain is broken', async () => {
    const app = await createTestApp({ env });
    try {
      await tamper(app.get(DataSource), `UPDATE audit_events SET actor = 'intruder' WHERE seq = 3`);
    } finally {
      await app.close();
    }
    const run = await cli(['verify'], env);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ ok: false, checked: 2, first_broken_seq: 3, problem: 'hash' });
  });

  it('exits 2 with a usage line for an unknown command', async () => {
    const run = await cli(['delete'], env);
    expect(run).toMatchObject({ code: 2, out: [] });
    expect(run.err.join('\n')).toMatch(/^usage: node dist\/audit\/cli.js verify$/m);
  });

  it('exits 2 on a database that was never migrated: the CLI runs no migrations', async () => {
    const run = await cli(['verify'], { ...env, SQLITE_PATH: join(dir, 'empty.sqlite') });
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/audit_events/);
  });
});
