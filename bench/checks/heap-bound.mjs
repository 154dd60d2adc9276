#!/usr/bin/env node
// Resident memory of the built app under a steady send rate, with and without a V8 heap bound:
//   node bench/checks/heap-bound.mjs [seconds per run, default 75] [texts/s, default 100]
// Each run starts a fresh app (sandbox, SQLite in a temporary directory) on 127.0.0.1, sends
// to distinct numbers at the fixed rate (at most 64 in flight) and prints RSS at the start, at
// the end and its peak. Bounded: runs × seconds × rate requests, then it stops by itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { startApp } from '../app-process.mjs';

const seconds = Math.min(Number(process.argv[2] ?? 75), 300);
const rate = Math.min(Number(process.argv[3] ?? 100), 500);
const RUNS = [
  { label: 'no bound (V8 defaults)', nodeArgs: [] },
  { label: '--max-old-space-size=128', nodeArgs: ['--max-old-space-size=128'] },
  {
    label: '--max-old-space-size=128 --max-semi-space-size=8',
    nodeArgs: ['--max-old-space-size=128', '--max-semi-space-size=8'],
  },
];
const MAX_IN_FLIGHT = 64;
const entry = resolve('dist/main.js');
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function rssMib(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

async function run({ label, nodeArgs }) {
  const workDir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-heap-'));
  const apiKey = `check-${randomBytes(16).toString('hex')}`;
  const app = await startApp({
    entry,
    cwd: workDir,
    nodeArgs,
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      API_KEYS: `check:${apiKey}:sms.send`,
      SQLITE_PATH: join(workDir, 'app.sqlite'),
      DEDUPE_WINDOW: '0',
      QUIET_HOURS: 'off',
      RATE_LIMIT_PER_KEY: '10000000',
      RATE_LIMIT_PER_RECIPIENT_10MIN: '10000000',
      RATE_LIMIT_PER_RECIPIENT_DAY: '10000000',
      DAILY_SEND_CAP: '10000000',
    },
  });
  try {
    const statuses = new Map();
    let inFlight = 0;
    let skipped = 0;
    let n = 0;
    const send = async () => {
      const i = n++;
      const number = `+1202555${String(i % 10_000).padStart(4, '0')}`;
      inFlight++;
      try {
        const res = await fetch(`${app.url}/api/sms/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify({ phone_number: number, message: `Your refill is ready (${i}).` }),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      } catch {
        statuses.set('error', (statuses.get('error') ?? 0) + 1);
      } finally {
        inFlight--;
      }
    };
    await sleep(2000);
    const startRss = rssMib(app.pid);
    app.peakRss.reset();
    const samples = [];
    const started = Date.now();
    for (let tick = 0; tick < seconds * rate; tick++) {
      const due = started + (tick * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      if (inFlight >= MAX_IN_FLIGHT) skipped++;
      else void send();
      if (tick % (rate * 15) === 0) samples.push(rssMib(app.pid).toFixed(0));
    }
    while (inFlight > 0) await sleep(50);
    const endRss = rssMib(app.pid);
    const peak = app.peakRss.stop();
    const answered = [...statuses].map(([s, c]) => `${s}×${c}`).join(' ');
    console.log(
      `${label}: RSS ${startRss.toFixed(0)} -> ${endRss.toFixed(0)} MiB, peak ${peak.mib.toFixed(0)} MiB ` +
        `(every 15 s: ${samples.join(', ')}); ${answered}; ${skipped} not sent (64 in flight)`,
    );
  } finally {
    await app.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

console.log(
  `${seconds} s at ${rate} texts/s per run, node ${process.version}, ${os.cpus().length} CPUs`,
);
for (const config of RUNS) await run(config);
