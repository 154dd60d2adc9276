import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plain, SCRIPT, startBuiltApp, type BuiltApp } from './support/built-app.js';

/** These start the built app (dist/main.js) as a process, the way `npm start` does. */
const hasScript = existsSync(SCRIPT);
if (!hasScript) console.log(`${SCRIPT} is missing: skipping the terminal cases (util-linux).`);
const itOnTerminal = hasScript ? it : it.skip;

const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: 'boot-output-secret-auth-token',
  TWILIO_PHONE_NUMBER: '+12025550100',
  // Never called at boot; a closed port in case it were.
  TWILIO_API_BASE_URL: 'http://127.0.0.1:1',
};
const CHECKPOINTS = mkdtempSync(join(tmpdir(), 'boot-output-checkpoints-'));
const PRODUCTION = {
  NODE_ENV: 'production',
  API_KEYS: 'ops:boot-output-production-key-0123456789:admin',
  AUDIT_HASH_KEY: 'boot-output-audit-hash-key-0123456789abcdef',
  AUDIT_CHAIN_KEY: 'boot-output-audit-chain-key-0123456789abcd',
  AUDIT_CHECKPOINT_DIR: CHECKPOINTS,
  DATABASE_URL: '',
  REDIS_URL: '',
  ...TWILIO,
};
const NEST_START_UP = /InstanceLoader|RoutesResolver|RouterExplorer/;

describe('what the built app prints at boot (process)', () => {
  let app: BuiltApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  afterAll(() => rmSync(CHECKPOINTS, { recursive: true, force: true }));

  itOnTerminal(
    'in development on a terminal: a short banner, then one readable line a request',
    async () => {
      app = startBuiltApp({ NODE_ENV: 'development', LOG_LEVEL: 'info' }, { terminal: true });
      const [, url] = await app.waitFor(/URL:\s+(http:\/\/localhost:\d+)/);
      const [, key] = await app.waitFor(/Development API key:\s+(dev_[A-Za-z0-9_-]{32})/);
      await app.waitFor(/Quiet hours:/);

      const outbox = await fetch(`${url}/api/sandbox/outbox`, { headers: { 'x-api-key': key } });
      expect(outbox.status).toBe(200);
      const [line] = await app.waitFor(/^.*request completed GET \/api\/sandbox\/outbox 200.*$/m);

      const text = plain(app.output());
      expect(text).toContain(`Swagger UI:          ${url}/docs`);
      expect(text).toMatch(/Provider: +sandbox: nothing leaves this machine/);
      expect(text).toMatch(/Database: +SQLite .*gateway\.sqlite/);
      expect(text).toMatch(/Redis: +none: rate limits kept in this process/);
      expect(text).toMatch(/Quiet hours: +21:00-08:00 in the patient's time zone/);
      // The key once, in the banner; no JSON and none of Nest's per-module lines.
      expect(text.split(key)).toHaveLength(2);
      expect(text.split('\n').filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
      expect(text).not.toMatch(NEST_START_UP);
      expect(plain(line)).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: request completed GET/);
    },
    60_000,
  );

  itOnTerminal(
    'in production, even on a terminal: one JSON record a line, no key, a masked sender',
    async () => {
      app = startBuiltApp({ ...PRODUCTION, LOG_LEVEL: 'info' }, { terminal: true });
      const [, url] = await app.waitFor(/"url":"(http:\/\/localhost:\d+)"/);
      await fetch(`${url}/health/live`);
      await app.waitFor(/"msg":"request completed"/);

      const lines = plain(app.output())
        .split('\n')
        .filter((l) => l.trim() !== '');
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.find((r) => r.context === 'Bootstrap')).toMatchObject({
        level: 30,
        url,
        docsUrl: `${url}/docs`,
        provider: 'Twilio, from ***-***-0100',
        database: expect.stringMatching(/^SQLite /),
        redis: 'none: rate limits kept in this process',
      });
      expect(app.output()).not.toMatch(NEST_START_UP);
      expect(app.output()).not.toContain('dev_');
      expect(app.output()).not.toContain(TWILIO.TWILIO_AUTH_TOKEN);
      expect(app.output()).not.toContain(PRODUCTION.AUDIT_CHAIN_KEY);
      expect(app.output()).not.toContain('2025550100');
    },
    60_000,
  );

  it('in development with the output piped: JSON records, and the key on its own line', async () => {
    app = startBuiltApp({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    await app.waitFor(/"context":"Bootstrap"/);

    const lines = app
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.filter((l) => !l.startsWith('{'))).toEqual([
      expect.stringMatching(/^Development API key: dev_[A-Za-z0-9_-]{32}$/),
    ]);
    for (const line of lines.filter((l) => l.startsWith('{')))
      expect(() => JSON.parse(line)).not.toThrow();
    expect(app.output()).not.toContain('agent-sms-gateway is ready');
    expect(app.output()).not.toMatch(NEST_START_UP);
  }, 60_000);
});
