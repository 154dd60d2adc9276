import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runAuditCli, type CliOutput } from '../src/audit/audit-cli.js';
import { AuditLogService } from '../src/audit/audit-log.service.js';
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

describe('audit CLI (npm run audit:verify | audit:purge)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-audit-cli-'));
  const env = { SQLITE_PATH: join(dir, 'gateway.sqlite'), DATABASE_URL: undefined };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const app = await createTestApp({ env });
    try {
      for (let n = 1; n <= 5; n++) await app.get(AuditLogService).append(sendEvent(n));
    } finally {
      await app.close();
    }
  });

  it('verify prints the result and exits 0 for an intact chain', async () => {
    const run = await cli(['verify'], env);
    expect(run).toMatchObject({ code: 0, err: [] });
    expect(run.json).toMatchObject({ ok: true, checked: 5, first_broken_seq: null, last_seq: 5 });
  });

  it('purge removes nothing younger than the retention, records a checkpoint, exits 0', async () => {
    const run = await cli(['purge'], env);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      purged_count: 0,
      purged_through_seq: null,
      checkpoint_seq: 6,
    });
    expect((await cli(['verify'], env)).json).toMatchObject({ ok: true, checked: 6 });
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
    expect(run.json).toMatchObject({ ok: false, checked: 2, first_broken_seq: 3 });
  });

  it('exits 2 with a usage line for an unknown command', async () => {
    const run = await cli(['delete'], env);
    expect(run).toMatchObject({
      code: 2,
      out: [],
      err: ['usage: node dist/audit/cli.js verify|purge'],
    });
  });

  it('exits 2 on a database that was never migrated: the CLI runs no migrations', async () => {
    const run = await cli(['verify'], { ...env, SQLITE_PATH: join(dir, 'empty.sqlite') });
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/audit_events/);
  });
});
