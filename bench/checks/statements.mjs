#!/usr/bin/env node
// SQLite statements and prepares per send of the built app, as in scenario (b) of the bench,
// and the time each statement takes (better-sqlite3 runs them on the event loop):
//   node bench/checks/statements.mjs [dist directory, default ./dist] [sends in flight, default 1]
// Counts 1,000 sends after 20 warm-up sends, spread over 4 numbers. With 50 in flight the
// units of work of concurrent sends share transactions (group commit), as under the bench's
// load. Loopback only; stops by itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from '../app-process.mjs';

const dist = resolve(process.argv[2] ?? 'dist');
const inFlight = Number(process.argv[3] ?? 1);
const SENDS = 1000;
const NUMBERS = ['+12025550143', '+12025550187', '+13125550199', '+14155550132'];
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
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const res = await fetch(`${app.url}/api/sms/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({
          phone_number: NUMBERS[i % NUMBERS.length],
          message: `Your appointment is confirmed (${label} ${i}).`,
        }),
      });
      if (res.status !== 201) throw new Error(`send answered ${res.status}: ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await sleep(200);
  return JSON.parse(readFileSync(countsFile, 'utf8'));
}

try {
  const before = await sends(20, 'warm-up');
  const after = await sends(SENDS, 'send');
  const per = (key) => ((after[key] - before[key]) / SENDS).toFixed(2);
  console.log(
    `${dist}, ${inFlight} in flight: per send ${per('run')} run + ${per('all')} all + ` +
      `${per('get')} get statements, ${per('prepare')} prepares`,
  );
  const rows = Object.entries(after.bySql)
    .map(([sql, { n, ns }]) => {
      const earlier = before.bySql[sql] ?? { n: 0, ns: 0 };
      return { sql, n: (n - earlier.n) / SENDS, us: (ns - earlier.ns) / SENDS / 1000 };
    })
    .filter((row) => row.n > 0)
    .sort((a, b) => b.us - a.us);
  for (const row of rows) {
    console.log(`${row.us.toFixed(1).padStart(7)} µs ${row.n.toFixed(2).padStart(5)}x  ${row.sql}`);
  }
  const total = rows.reduce((sum, row) => sum + row.us, 0);
  console.log(`${total.toFixed(1).padStart(7)} µs per send in SQLite statements`);
} finally {
  await app.stop();
  rmSync(workDir, { recursive: true, force: true });
}
