import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { AppConfig } from '../src/config/app.config.js';
import { sandboxProvider } from '../src/providers/sandbox/sandbox.registration.js';
import { twilioProvider } from '../src/providers/twilio/twilio.registration.js';
import { runDoctorCli } from '../src/doctor/doctor-cli.js';
import { elevenLabsCheck } from '../src/agents/elevenlabs/elevenlabs-doctor.js';
import { migrationsCheck, publicUrlCheck } from '../src/doctor/local-checks.js';
import { ElevenLabsService, type ToolExport } from '../src/agents/elevenlabs/elevenlabs.service.js';
import { buildElevenLabsTools } from '../src/agents/elevenlabs/tool-definitions.js';
import { syncTools } from '../src/agents/elevenlabs/tool-sync.js';
import { MAIN } from './support/built-app.js';
import { startElevenLabsStub, type ElevenLabsStub } from './support/elevenlabs-stub.js';
import { BASE_TEST_ENV, createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { migrations } from '../src/database/migrations/index.js';

/** Runs `npm run doctor`'s code in this process with these settings, restoring them after. */
async function doctorCli(env: Record<string, string | undefined>) {
  const names = Object.keys({ ...BASE_TEST_ENV, ...env });
  const previous = Object.fromEntries(names.map((k) => [k, process.env[k]]));
  const set = (vars: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(vars)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set({ ...BASE_TEST_ENV, ...env });
  let text = '';
  try {
    const code = await runDoctorCli({ out: (t) => (text += `${t}\n`) });
    return { code, text };
  } finally {
    set(previous);
  }
}

const line = (text: string, name: string) =>
  text.split('\n').find((l) => new RegExp(`^(PASS|WARN|FAIL) +${name} `).test(l)) ?? '';

describe('GET /api/doctor on a fresh sandbox (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('answers the sandbox checklist, with no fail, to an admin key', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/doctor')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    expect(res.body.ok).toBe(true);
    expect(
      res.body.checks.map((c: { name: string; status: string }) => [c.name, c.status]),
    ).toEqual([
      ['Configuration', 'pass'],
      ['Database', 'pass'],
      ['Migrations', 'pass'],
      ['Redis', 'pass'],
      ['Provider', 'pass'],
      ['PUBLIC_BASE_URL', 'pass'],
      // In memory: nowhere to keep checkpoints, so the doctor says what a cut tail would do.
      ['Audit chain', 'warn'],
    ]);
    expect(res.body.checks[2].detail).toBe(`all ${migrations.length} applied`);
  });

  it('is for admin keys only, and documented with its errors', async () => {
    const refused = await request(app.getHttpServer())
      .get('/api/doctor')
      .set('X-API-Key', TEST_API_KEY)
      .expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    const operation = document.paths['/api/doctor'].get;
    expect(operation.tags).toEqual(['Doctor']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
  });
});

describe('npm run doctor (e2e)', () => {
  let twilio: TwilioStub;
  let dir: string;
  beforeAll(async () => {
    twilio = await startTwilioStub();
    dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  });
  afterAll(async () => {
    await twilio.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on a fresh clone: the sandbox checklist, no fail line, exit 0, nothing created', () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    const cwd = mkdtempSync(join(dir, 'clone-'));
    const run = spawnSync(process.execPath, [join(MAIN, '..', 'doctor', 'cli.js')], {
      cwd,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^PASS +Provider +sandbox/m);
    expect(run.stdout).toMatch(/^PASS +Database +SQLite .*not created yet/m);
    expect(run.stdout).not.toMatch(/^FAIL/m);
    expect(run.stdout).toMatch(/^0 fail, /m);
    // Read-only: looking does not create the database (or its folder).
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('against the Twilio stand-in: a sender without SMS fails, no Messaging Service warns, exit 1', async () => {
    twilio.reset();
    twilio.setAccount({ numbers: [{ phoneNumber: '+12025550100', sms: false }] });
    const { code, text } = await doctorCli(twilioStubEnv(twilio));
    expect(code).toBe(1);
    expect(line(text, 'Sender SMS capability')).toMatch(/^FAIL .*cannot send SMS/);
    expect(line(text, 'Messaging Service')).toMatch(/^WARN .*none/);
    expect(text).toContain('→ Use an SMS-capable number');
    expect(text).toContain('A2P 10DLC');
    expect(line(text, 'Twilio credentials')).toMatch(/^PASS/);
    expect(text).not.toContain('stub-auth-token');
    expect(twilio.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('fails Configuration, naming the variable, when a setting is invalid', async () => {
    const { code, text } = await doctorCli({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(line(text, 'Configuration')).toContain('PORT must be a whole number');
  });

  it('fails Database and Redis when they cannot be reached, without printing a password', async () => {
    const { code, text } = await doctorCli({
      DATABASE_URL: 'postgres://gateway:db-secret-pw@127.0.0.1:1/sms',
      REDIS_URL: 'redis://:redis-secret-pw@127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(line(text, 'Database')).toMatch(/^FAIL .*PostgreSQL 127\.0\.0\.1:1\/sms unreachable/);
    expect(line(text, 'Migrations')).toMatch(/^WARN .*not checked/);
    expect(line(text, 'Redis')).toMatch(/^FAIL .*Redis 127\.0\.0\.1:1 unreachable/);
    expect(text).not.toContain('secret-pw');
  });

  it('fails Migrations when some are pending and the service will not apply them', async () => {
    const sqlitePath = join(dir, 'empty.sqlite');
    new Database(sqlitePath).close();
    const { code, text } = await doctorCli({ SQLITE_PATH: sqlitePath, DB_MIGRATIONS_RUN: 'false' });
    expect(code).toBe(1);
    expect(line(text, 'Database')).toMatch(/^PASS .*reachable/);
    expect(line(text, 'Migrations')).toMatch(
      new RegExp(
        `^FAIL .*${migrations.length} of ${migrations.length} pending and DB_MIGRATIONS_RUN=false`,
      ),
    );
  });
});

describe('Migrations', () => {
  const database = {
    type: 'sqlite' as const,
    sqlitePath: 'x',
    migrationsRun: true,
    url: undefined,
  };
  it('warns about migrations this release does not know', () => {
    expect(migrationsCheck(database, ['A1'], ['A1', 'B2']).status).toBe('warn');
    expect(migrationsCheck(database, ['A1'], ['A1']).status).toBe('pass');
  });
});

describe('PUBLIC_BASE_URL answering (e2e)', () => {
  let app: INestApplication;
  let url: string;
  const twilio = twilioProvider.load().chosen.publicUrl;
  const check = (publicBaseUrl: string | undefined) =>
    publicUrlCheck({ publicBaseUrl } as AppConfig, twilio, (u) => fetch(u));
  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('warns when this service answers /health/live, but over http', async () => {
    expect(await check(url)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('over http'),
    });
  });

  it('fails when nothing answers, or something that is not this service', async () => {
    expect((await check('http://127.0.0.1:1')).status).toBe('fail');
    const other = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const port = (other.address() as AddressInfo).port;
      expect(await check(`http://127.0.0.1:${port}`)).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('answered 404'),
      });
    } finally {
      other.close();
    }
  });

  it('warns when unset with Twilio, and passes in the sandbox', async () => {
    expect(await check(undefined)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('Twilio cannot post delivery statuses'),
    });
    const sandbox = await publicUrlCheck(
      {} as AppConfig,
      sandboxProvider.load().chosen.publicUrl,
      fetch,
    );
    expect(sandbox).toMatchObject({ status: 'pass', detail: 'not set: not needed in the sandbox' });
  });
});

describe('ElevenLabs agent tools, against the ElevenLabs stand-in (e2e)', () => {
  const AGENT = 'agent_clinic_1';
  let app: INestApplication;
  let exported: ToolExport;
  let stub: ElevenLabsStub;
  let client: ElevenLabsClient;
  beforeAll(async () => {
    app = await createTestApp({ env: { PUBLIC_BASE_URL: 'https://gateway.example.com' } });
    exported = app.get(ElevenLabsService).toolExport();
    stub = await startElevenLabsStub({ agents: { [AGENT]: [] } });
    client = new ElevenLabsClient({ apiKey: 'xi-test', baseUrl: stub.baseUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await stub.close();
    await app.close();
  });

  const sync = () =>
    syncTools(client, {
      agentId: AGENT,
      definitions: (secretId) =>
        buildElevenLabsTools(exported.document, exported.tools, { ...exported.settings, secretId }),
      secret: { name: exported.secret.name, value: 'gateway-key-0123456789abcdef' },
    });

  it('warns without ELEVENLABS_AGENT_ID, fails without the workspace secret, and writes nothing', async () => {
    expect((await elevenLabsCheck(undefined, exported, client)).status).toBe('warn');
    const result = await elevenLabsCheck(AGENT, exported, client);
    expect(result).toMatchObject({ status: 'fail', detail: expect.stringContaining('no secret') });
    expect(result.action).toContain('--create-secret');
    expect(stub.writes()).toEqual([]);
  });

  it('passes once the sync has run, and names a tool changed since', async () => {
    await sync();
    const writes = stub.writes().length;
    expect(await elevenLabsCheck(AGENT, exported, client)).toMatchObject({ status: 'pass' });

    const [id, config] = [...stub.tools].find(([, c]) => c.name === 'send_copay_card')!;
    stub.tools.set(id, { ...config, description: 'Edited by hand in the dashboard.' });
    const result = await elevenLabsCheck(AGENT, exported, client);
    expect(result).toMatchObject({
      status: 'fail',
      detail: `agent ${AGENT}: send_copay_card out of date`,
    });
    expect(result.action).toContain(`npm run elevenlabs:sync -- --agent ${AGENT}`);
    expect(stub.writes()).toHaveLength(writes);
  });

  it('fails for an agent ElevenLabs does not know', async () => {
    expect(await elevenLabsCheck('agent_unknown', exported, client)).toMatchObject({
      status: 'fail',
      detail: 'ElevenLabs answered 404',
    });
  });
});
