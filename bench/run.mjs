#!/usr/bin/env node
// npm run bench: measures the built app on this machine and writes bench/RESULTS.md and
// bench/latency.svg. Not a test: it asserts nothing about timing. Everything runs on 127.0.0.1,
// ends by itself, and kills its child processes however it ends.
//   BENCH_SECONDS=3 npm run bench   shorter closed-loop phases, for trying the bench itself
//   BENCH_ONLY=p,c npm run bench     only these parts (boot, p, a, b, c, d, profile), printed and
//                                    not written to RESULTS.md: for checking one change quickly
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import * as prettier from 'prettier';
import { benchAppEnv, startApp, startStub } from './app-process.mjs';
import { runLoad } from './load.mjs';
import { summarizeProfile } from './profile-summary.mjs';
import { readPrevious, renderLatencySvg, renderResults } from './report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const ENTRY = join(ROOT, 'dist', 'main.js');
const PEER = join(BENCH, 'peer.mjs');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const settings = {
  warmupSeconds: 3,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  // The load of issue 16: 50 connections in the closed loop, then 200 req/s on 10 connections,
  // against a Twilio stub that answers at once.
  connections: 50,
  rate: 200,
  rateConnections: 10,
  rateSeconds: 6,
  stubDelayMs: 0,
  boots: 5,
  idleSettleMs: 3000,
  // The app runs with the V8 flags of `npm run start:prod` (and the Dockerfile's NODE_OPTIONS).
  nodeArgs: packageJson.scripts['start:prod'].split(' ').filter((arg) => arg.startsWith('--')),
  raisedLimit: 10_000_000,
  phoneNumbers: ['+12025550143', '+12025550187', '+13125550199', '+14155550132'],
  autocannonVersion: JSON.parse(
    readFileSync(join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8'),
  ).version,
};

// The whole run takes about two minutes; a hang must not outlive the session that started it.
setTimeout(() => {
  console.error('bench: still running after 10 minutes, stopping');
  process.exit(1);
}, 600_000).unref();

function log(message) {
  console.log(`bench: ${message}`);
}

/** Busy CPU ticks of the whole machine, and of this process with its reaped children. */
function cpuTicks() {
  const [, ...machine] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = machine.map(Number);
  const own = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return {
    machine: user + nice + system + irq + softirq + steal,
    own: own.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0),
    at: Date.now(),
  };
}

/** Percent of the machine's cores busy with other processes between `start` and now. */
function otherCpuPercent(start, cores) {
  const end = cpuTicks();
  const other = end.machine - start.machine - (end.own - start.own);
  // /proc counts in USER_HZ, 100 on Linux.
  return ((100 * other) / 100 / (((end.at - start.at) / 1000) * cores)).toFixed(0);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function buildIfNeeded() {
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  log('dist/ is missing or older than src/: npm run build');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

const apiKey = `bench-${randomBytes(16).toString('hex')}`;
const workDir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-bench-'));

function appEnv(name, extra = {}) {
  return {
    ...benchAppEnv({
      apiKey,
      sqlitePath: join(workDir, `${name}.sqlite`),
      limit: settings.raisedLimit,
    }),
    ...extra,
  };
}

/** Starts the app in the work directory, so a developer's .env in the repository stays out. */
function start(name, extra, nodeArgs = []) {
  log(`starting the app for ${name}`);
  return startApp({
    entry: ENTRY,
    env: appEnv(name, extra),
    cwd: workDir,
    nodeArgs: [...settings.nodeArgs, ...nodeArgs],
  });
}

const twilioCredentials = {
  TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
  TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
  TWILIO_PHONE_NUMBER: '+12025550100',
};

function startPeer(stub) {
  log('starting the peer (express + twilio SDK)');
  return startApp({
    entry: PEER,
    env: { ...twilioCredentials, TWILIO_API_BASE_URL: stub.baseUrl },
    cwd: workDir,
  });
}

const health = { method: 'GET', path: '/health/live' };

function sendRequest() {
  let sent = 0;
  return {
    method: 'POST',
    path: '/api/sms/send',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    setupRequest(request) {
      sent += 1;
      const phone_number = settings.phoneNumbers[sent % settings.phoneNumbers.length];
      const message = `Bench message ${sent}: your order is ready for pickup.`;
      return { ...request, body: JSON.stringify({ phone_number, message }) };
    },
  };
}

/** `node dist/audit/cli.js verify` on a scenario's database, after its load: the chain must hold. */
function verifyAuditChain(database) {
  const verify = spawnSync(process.execPath, [join(ROOT, 'dist', 'audit', 'cli.js'), 'verify'], {
    cwd: workDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', ...database },
    encoding: 'utf8',
  });
  const result = verify.stdout.trim();
  log(`audit verify exit ${verify.status}: ${result}`);
  if (verify.status !== 0) throw new Error(`the audit chain does not verify: ${result}`);
  const { checked } = JSON.parse(result);
  return `After the load \`node dist/audit/cli.js verify\` checked ${checked} audit events: the chain verifies.`;
}

/** One send by hand before the load, so a wrong set-up fails loudly instead of measuring errors. */
async function checkSend(app, expect) {
  const res = await fetch(`${app.url}/api/sms/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ phone_number: settings.phoneNumbers[0], message: 'Bench set-up check' }),
  });
  const body = await res.json();
  if (res.status !== 201 || !expect(body)) {
    throw new Error(`the set-up check send answered ${res.status} ${JSON.stringify(body)}`);
  }
}

async function measure(app, request) {
  const { url } = app;
  app.peakRss.reset();
  await runLoad({
    url,
    request,
    connections: settings.connections,
    seconds: settings.warmupSeconds,
  });
  const cpuBefore = app.cpuMs();
  const closed = await runLoad({
    url,
    request,
    connections: settings.connections,
    seconds: settings.seconds,
  });
  // CPU of the service's own process per answered request: less noisy than req/s on a shared
  // machine, since waiting for a core costs no CPU time.
  const cpuMsPerRequest = (app.cpuMs() - cpuBefore) / Math.max(1, closed.ok);
  const fixed = await runLoad({
    url,
    request,
    connections: settings.rateConnections,
    seconds: settings.rateSeconds,
    overallRate: settings.rate,
  });
  const rss = app.peakRss.stop();
  log(
    `${closed.requestsPerSecond.toFixed(0)} req/s, p50 ${closed.p50.toFixed(2)} ms, p99 ${closed.p99.toFixed(2)} ms,` +
      ` ${(cpuMsPerRequest * 1000).toFixed(0)} µs CPU/request; at ${settings.rate}/s p50 ${fixed.p50.toFixed(2)} ms,` +
      ` p99 ${fixed.p99.toFixed(2)} ms; peak RSS ${rss.mib.toFixed(0)} MiB`,
  );
  return { closed, fixed, rss, cpuMsPerRequest };
}

/** Boots `starter()` settings.boots times: median time to /health/live, median RSS once idle. */
async function measureBoots(label, starter) {
  const boots = [];
  for (let i = 0; i < settings.boots; i += 1) {
    const app = await starter();
    const bootCpuMs = app.cpuMs();
    try {
      await new Promise((done) => setTimeout(done, settings.idleSettleMs));
      boots.push({ bootMs: app.bootMs, bootCpuMs, idleMib: app.rssMib() });
    } finally {
      await app.stop();
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const result = {
    label,
    bootMs: median(boots.map((b) => b.bootMs)),
    bootsMs: boots.map((b) => Math.round(b.bootMs)),
    bootCpuMs: median(boots.map((b) => b.bootCpuMs)),
    idleMib: median(boots.map((b) => b.idleMib)),
  };
  log(
    `${label}: boot ${result.bootsMs.join(', ')} ms, CPU ${result.bootCpuMs} ms; idle RSS ${result.idleMib.toFixed(0)} MiB`,
  );
  return result;
}

async function sandboxScenarios() {
  const app = await start('sandbox');
  try {
    await checkSend(app, (body) => body.sandbox === true);
    log('(a) GET /health/live');
    const a = await measure(app, health);
    log('(b) POST /api/sms/send, sandbox');
    const b = await measure(app, sendRequest());
    return [
      {
        id: 'a',
        title: 'GET /health/live (the framework\u2019s ceiling)',
        short: 'health/live',
        ...a,
      },
      { id: 'b', title: 'POST /api/sms/send, sandbox, SQLite', short: 'send, sandbox', ...b },
    ];
  } finally {
    await app.stop();
  }
}

function twilioEnv(stub) {
  return { ...twilioCredentials, TWILIO_API_BASE_URL: stub.baseUrl };
}

async function peerScenario(stub) {
  const peer = await startPeer(stub);
  try {
    const before = await stub.creates();
    log('(p) the peer: express + twilio SDK, to the stub');
    const p = await measure(peer, sendRequest());
    const creates = (await stub.creates()) - before;
    return {
      id: 'p',
      title: 'the peer: express + twilio SDK (default client) to the stub, no store',
      short: 'peer',
      note: `is bench/peer.mjs: the stub received ${creates} message creates from it, warm-up included.`,
      ...p,
    };
  } finally {
    await peer.stop();
  }
}

async function twilioScenario(stub) {
  const app = await start('twilio', twilioEnv(stub));
  try {
    await checkSend(app, (body) => body.sandbox === undefined && /^SM/.test(body.provider_sid));
    const before = await stub.creates();
    log('(c) POST /api/sms/send, TwilioProvider and the twilio SDK to the stub');
    const c = await measure(app, sendRequest());
    const creates = (await stub.creates()) - before;
    const lookups = await stub.lookups();
    await app.stop();
    const verified = verifyAuditChain({ SQLITE_PATH: join(workDir, 'twilio.sqlite') });
    return {
      id: 'c',
      title: `POST /api/sms/send, twilio SDK to the stub (${settings.stubDelayMs} ms), SQLite`,
      short: 'send, Twilio stub',
      note: `went through the twilio SDK: the stub received ${creates} message creates during (c), warm-up included; ${c.closed.ok + c.fixed.ok} sends were answered 201 in the measured phases. It made ${lookups} Lookup requests since the stub started, one per number before its first text, then answered from the line-type cache. ${verified}`,
      ...c,
    };
  } finally {
    await app.stop();
  }
}

/** (d) on a database of its own on DATABASE_URL's server, and a key prefix of its own on Redis. */
async function postgresRedisScenario(stub) {
  const database = `agent_sms_gateway_bench_${process.pid}`;
  const keyPrefix = `agent-sms-gateway-bench-${process.pid}:`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(process.env.DATABASE_URL);
  databaseUrl.pathname = `/${database}`;
  let app;
  try {
    app = await start('postgres-redis', {
      DATABASE_URL: databaseUrl.href,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      ...twilioEnv(stub),
    });
    await checkSend(app, (body) => /^SM/.test(body.provider_sid));
    log('(d) POST /api/sms/send, twilio SDK to the stub, PostgreSQL + Redis');
    const d = await measure(app, sendRequest());
    await app.stop();
    const verified = verifyAuditChain({ DATABASE_URL: databaseUrl.href });
    return {
      id: 'd',
      note: verified,
      title: 'POST /api/sms/send, twilio SDK to the stub, PostgreSQL + Redis',
      short: 'send, PG + Redis',
      ...d,
    };
  } finally {
    await app?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await deleteRedisKeys(process.env.REDIS_URL, keyPrefix);
  }
}

async function deleteRedisKeys(url, prefix) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** (c) again under node --cpu-prof, in a process of its own so the profiler does not touch the figures. */
async function profileTwilioSend(stub) {
  const profileDir = join(workDir, 'profile');
  const app = await start('profile', twilioEnv(stub), ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  const request = sendRequest();
  const options = { url: app.url, request, connections: settings.connections };
  let window;
  let requests;
  try {
    await runLoad({ ...options, seconds: settings.warmupSeconds });
    log(`profiling (c) for ${settings.seconds} s`);
    // V8 stamps samples with the monotonic clock, as hrtime reads it: this keeps start-up and
    // warm-up out of the summary.
    const from = process.hrtime.bigint() / 1000n;
    const load = await runLoad({ ...options, seconds: settings.seconds });
    window = { from: Number(from), to: Number(process.hrtime.bigint() / 1000n) };
    requests = load.ok;
  } finally {
    // SIGINT runs Nest's shutdown hooks and then node's exit path, which writes the profile.
    await app.stop('SIGINT', 30_000);
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('node --cpu-prof wrote no profile');
  const kept = join(os.tmpdir(), 'agent-sms-gateway-bench-c.cpuprofile');
  copyFileSync(join(profileDir, file), kept);
  const profile = JSON.parse(readFileSync(kept, 'utf8'));
  return { requests, window, kept, profile };
}

const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const wanted = (part) => !only || only.has(part);

/** BENCH_ONLY: the chosen parts, each printed as it ends; RESULTS.md stays as it is. */
async function runSome(stub) {
  if (wanted('boot')) {
    await measureBoots('the service (Twilio, SQLite)', () => start('boot', twilioEnv(stub)));
    await measureBoots('the peer', () => startPeer(stub));
  }
  if (wanted('p')) await peerScenario(stub);
  if (wanted('a') || wanted('b')) await sandboxScenarios();
  if (wanted('c')) await twilioScenario(stub);
  if (wanted('d')) await postgresRedisScenario(stub);
  if (wanted('profile')) {
    const { kept, requests, window } = await profileTwilioSend(stub);
    log(
      `node bench/profile-summary.mjs ${kept} --requests ${requests} --from ${window.from} --to ${window.to}`,
    );
  }
}

async function main() {
  buildIfNeeded();
  if (only) {
    const stub = await startStub(join(BENCH, 'twilio-stub.mjs'), settings.stubDelayMs);
    try {
      await runSome(stub);
    } finally {
      await stub.stop();
    }
    return;
  }
  const loadStart = os.loadavg()[0].toFixed(2);
  const ticksStart = cpuTicks();
  const stub = await startStub(join(BENCH, 'twilio-stub.mjs'), settings.stubDelayMs);
  const scenarios = [];
  const skipped = [];
  const boots = [];
  let profiled;
  try {
    boots.push(
      await measureBoots('the service (Twilio, SQLite)', () => start('boot', twilioEnv(stub))),
    );
    boots.push(await measureBoots('the peer', () => startPeer(stub)));
    scenarios.push(await peerScenario(stub));
    scenarios.push(...(await sandboxScenarios()));
    scenarios.push(await twilioScenario(stub));
    if (process.env.DATABASE_URL && process.env.REDIS_URL) {
      scenarios.push(await postgresRedisScenario(stub));
    } else {
      const reason = 'DATABASE_URL and REDIS_URL are not both set';
      log(`(d) skipped: ${reason}`);
      skipped.push({
        id: 'd',
        title: 'POST /api/sms/send, twilio SDK to the stub, PostgreSQL + Redis',
        reason,
      });
    }
    profiled = await profileTwilioSend(stub);
  } finally {
    await stub.stop();
  }

  const cpus = os.cpus();
  const machine = {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadStart,
    otherCpuPercent: otherCpuPercent(ticksStart, cpus.length),
  };
  const { requests, window, kept } = profiled;
  const profile = {
    description:
      `(c) again in a separate app process started with \`node --cpu-prof\`: ` +
      `${settings.warmupSeconds} s warm-up, then ${settings.seconds} s closed loop with ${settings.connections} connections ` +
      `(${requests} requests), stopped with SIGINT. Only the samples of the measured ${settings.seconds} s are ` +
      `summarised, by \`node bench/profile-summary.mjs ${kept} --requests ${requests} ` +
      `--from ${window.from} --to ${window.to}\`; open the file in Chrome DevTools (Performance) ` +
      `for the call tree.`,
    summary: summarizeProfile(profiled.profile, { requests, window, topN: 12 }),
  };

  const resultsPath = join(BENCH, 'RESULTS.md');
  const report = {
    machine,
    settings,
    scenarios,
    skipped,
    boots,
    profile,
    previous: readPrevious(resultsPath),
  };
  mkdirSync(BENCH, { recursive: true });
  // Formatted as `npm run format:check` expects, so a fresh run never breaks CI.
  const markdown = renderResults(report);
  const prettierOptions = await prettier.resolveConfig(resultsPath);
  writeFileSync(
    resultsPath,
    await prettier.format(markdown, { ...prettierOptions, filepath: resultsPath }),
  );
  writeFileSync(join(BENCH, 'latency.svg'), renderLatencySvg(report));
  log(`wrote bench/RESULTS.md and bench/latency.svg; the profile is ${profiled.kept}`);

  const failed = scenarios.filter((s) => s.closed.failures + s.fixed.failures > 0);
  if (failed.length > 0) {
    console.error(
      `bench: failed requests in ${failed.map((s) => `(${s.id})`).join(', ')}: see RESULTS.md`,
    );
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
// autocannon and the HTTP agents keep handles open; the work is done, so do not wait for them.
process.exit();
