#!/usr/bin/env node
// What a kill -9 can lose, shown on the built app (npm run build) with SQLite in WAL mode:
//   node bench/checks/kill-after-201.mjs [rounds, default 3]
// Each round starts the app on a fresh database file, keeps 20 sends in flight, and SIGKILLs
// the process right after it has answered the 30th 201. Then, on the same file, it checks that
// every send answered 201 has its row (settled: sent, with a provider sid) and its two audit events
// (send.requested before the outcome), and that the audit chain verifies
// (node dist/audit/cli.js verify). Loopback only, sandbox transport; stops by itself.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { startApp } from '../app-process.mjs';

const rounds = Number(process.argv[2] ?? 3);
const dist = resolve('dist');
const workDir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-kill-'));
const apiKey = `check-${randomBytes(16).toString('hex')}`;
const numbers = ['+12025550143', '+12025550187', '+13125550199', '+14155550132'];
setTimeout(() => {
  console.error('kill-after-201: still running after 5 minutes, stopping');
  process.exit(1);
}, 300_000).unref();

async function round(index) {
  const sqlitePath = join(workDir, `round-${index}.sqlite`);
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    API_KEYS: `check:${apiKey}:sms.send+sms.read`,
    SQLITE_PATH: sqlitePath,
    DEDUPE_WINDOW: '0',
    QUIET_HOURS: 'off',
    RATE_LIMIT_PER_KEY: '1000000',
    RATE_LIMIT_PER_RECIPIENT_10MIN: '1000000',
    RATE_LIMIT_PER_RECIPIENT_DAY: '1000000',
    RATE_LIMIT_PER_CONVERSATION: '1000000',
    DAILY_SEND_CAP: '1000000',
  };
  const app = await startApp({ entry: join(dist, 'main.js'), env, cwd: workDir });
  const acknowledged = [];
  let killed = false;
  let sent = 0;
  const worker = async () => {
    while (!killed) {
      sent += 1;
      const body = JSON.stringify({
        phone_number: numbers[sent % numbers.length],
        message: `Kill check ${index}.${sent}`,
      });
      const res = await fetch(`${app.url}/api/sms/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body,
      }).catch(() => undefined);
      if (!res) return;
      const answer = await res.json().catch(() => undefined);
      if (res.status === 201 && answer) {
        acknowledged.push(answer.message_id);
        if (acknowledged.length === 30 && !killed) {
          killed = true;
          process.kill(app.pid, 'SIGKILL');
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  await app.stop();

  const db = new Database(sqlitePath, { readonly: true });
  const rowOf = db.prepare('SELECT status, provider_sid FROM messages WHERE id = ?');
  const eventsOf = db.prepare('SELECT action FROM audit_events WHERE message_id = ? ORDER BY seq');
  const lost = acknowledged.filter((id) => {
    const row = rowOf.get(id);
    const actions = eventsOf.all(id).map((e) => e.action);
    const settled = row && ['sent', 'queued'].includes(row.status) && row.provider_sid;
    return !settled || actions.length < 2;
  });
  const rows = db.prepare('SELECT status, COUNT(*) AS n FROM messages GROUP BY status').all();
  db.close();

  const verify = spawnSync(process.execPath, [join(dist, 'audit', 'cli.js'), 'verify'], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      SQLITE_PATH: sqlitePath,
    },
    encoding: 'utf8',
  });
  console.log(
    `round ${index + 1}: ${sent} sends started, ${acknowledged.length} answered 201 before the kill;` +
      ` rows by status ${JSON.stringify(rows)}; acknowledged but lost: ${lost.length};` +
      ` audit verify exit ${verify.status}: ${verify.stdout.trim()}`,
  );
  return lost.length === 0 && verify.status === 0;
}

let ok = true;
try {
  for (let i = 0; i < rounds; i += 1) ok = (await round(i)) && ok;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
console.log(ok ? 'kill-after-201: nothing acknowledged was lost' : 'kill-after-201: LOSS');
process.exit(ok ? 0 : 1);
