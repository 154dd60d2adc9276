#!/usr/bin/env node
// SQLite statements and prepares per send of the built app, as in scenario (b) of the bench:
//   node bench/checks/statements.mjs [dist directory, default ./dist]
// Counts around 200 sequential sends after 20 warm-up sends. Loopback only; stops by itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from '../app-process.mjs';

const dist = resolve(process.argv[2] ?? 'dist');
const here = fileURLToPath(new URL('.', import.meta.url));
const workDir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-statements-'));
const countsFile = join(workDir, 'counts.json');
const apiKey = `check-${randomBytes(16).toString('hex')}`;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const app = await startApp({
  entry: join(dist, 'main.js'),
  cwd: workDir,
  nodeArgs: ['-r', join(here, 'count-statements.cjs')],
  env: {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    NODE_PATH: join(here, '..', '..', 'node_modules'),
    STATEMENT_COUNTS_FILE: countsFile,
    API_KEYS: `check:${apiKey}:sms.send`,
    SQLITE_PATH: join(workDir, 'app.sqlite'),
    DEDUPE_WINDOW: '0',
    QUIET_HOURS: 'off',
    RATE_LIMIT_PER_KEY: '100000',
    RATE_LIMIT_PER_RECIPIENT_10MIN: '100000',
    RATE_LIMIT_PER_RECIPIENT_DAY: '100000',
    DAILY_SEND_CAP: '100000',
  },
});

async function sends(count, label) {
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${app.url}/api/sms/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({
        phone_number: '+12025550143',
        message: `Your appointment is confirmed (${label} ${i}).`,
      }),
    });
    if (res.status !== 201) throw new Error(`send answered ${res.status}: ${await res.text()}`);
  }
  await sleep(200);
  return JSON.parse(readFileSync(countsFile, 'utf8'));
}

try {
  const before = await sends(20, 'warm-up');
  const after = await sends(200, 'send');
  const per = (key) => ((after[key] - before[key]) / 200).toFixed(2);
  console.log(
    `${dist}: per send ${per('run')} run + ${per('all')} all + ${per('get')} get statements, ` +
      `${per('prepare')} prepares`,
  );
} finally {
  await app.stop();
  rmSync(workDir, { recursive: true, force: true });
}
