#!/usr/bin/env node
// Boot time and idle memory of the built app, measured as the boot step of `npm run bench` does:
//   node bench/checks/boot-memory.mjs [starts, default 5] [extra node flags...]
//   BOOT_ENTRY=/path/to/other/dist/main.js node bench/checks/boot-memory.mjs   another build
// Starts dist/main.js (build it first) with the V8 flags of `npm run start:prod` and the bench's
// environment (Twilio configured against the local stub, SQLite in a temporary directory), and
// prints per start: ms from spawn to the first 200 from /health/live, CPU ms used by then, and
// RSS 3 s later; then the medians. Everything runs on 127.0.0.1 and stops by itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAppEnv, startApp, startStub } from '../app-process.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = process.env.BOOT_ENTRY ?? join(ROOT, 'dist', 'main.js');
const starts = Math.min(Math.max(Number(process.argv[2] ?? 5), 1), 20);
const extraNodeArgs = process.argv.slice(3);
const IDLE_SETTLE_MS = 3000;
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const nodeArgs = [
  ...packageJson.scripts['start:prod'].split(' ').filter((arg) => arg.startsWith('--')),
  ...extraNodeArgs,
];

const workDir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-boot-'));
const apiKey = `bench-${randomBytes(16).toString('hex')}`;
const limit = 10_000_000;
const twilioCredentials = {
  TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
  TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
  TWILIO_PHONE_NUMBER: '+12025550100',
};

// The environment of bench/run.mjs's boot step.
function env(stub) {
  return {
    ...benchAppEnv({ apiKey, sqlitePath: join(workDir, 'boot.sqlite'), limit }),
    ...twilioCredentials,
    TWILIO_API_BASE_URL: stub.baseUrl,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const stub = await startStub(join(ROOT, 'bench', 'twilio-stub.mjs'), 0);
  const rows = [];
  try {
    console.log(`node ${nodeArgs.join(' ')} ${ENTRY}, ${starts} starts`);
    for (let i = 0; i < starts; i += 1) {
      // One database for every start, as in the bench: the first start creates it.
      const app = await startApp({ entry: ENTRY, env: env(stub), cwd: workDir, nodeArgs });
      const bootCpuMs = app.cpuMs();
      try {
        await new Promise((done) => setTimeout(done, IDLE_SETTLE_MS));
        const row = { bootMs: app.bootMs, bootCpuMs, idleMib: app.rssMib() };
        rows.push(row);
        console.log(
          `start ${i + 1}: boot ${row.bootMs.toFixed(0)} ms, CPU ${row.bootCpuMs} ms, idle RSS ${row.idleMib.toFixed(1)} MiB`,
        );
      } finally {
        await app.stop();
      }
    }
  } finally {
    await stub.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(
    `median: boot ${median(rows.map((r) => r.bootMs)).toFixed(0)} ms, CPU ${median(rows.map((r) => r.bootCpuMs))} ms, idle RSS ${median(rows.map((r) => r.idleMib)).toFixed(1)} MiB`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
