// Child processes of the benchmark: the built app and the Twilio stub. Every child is tracked
// and killed when the bench exits, whichever way it exits.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const children = new Set();

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping`);
    process.exit(130);
  });
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Only what node needs from the caller's environment: a developer's settings stay out. */
function baseEnv() {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child, timeoutMs) {
  if (exited(child)) return Promise.resolve(true);
  return Promise.race([
    new Promise((resolve) => child.once('exit', () => resolve(true))),
    sleep(timeoutMs).then(() => false),
  ]);
}

/** Starts the Twilio stub in its own process and resolves with its base URL. */
export async function startStub(scriptPath, delayMs) {
  const child = track(
    spawn(process.execPath, [scriptPath, String(delayMs)], {
      env: baseEnv(),
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const firstLine = await Promise.race([
    new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
    sleep(10_000).then(() => undefined),
  ]);
  if (!firstLine) throw new Error('the Twilio stub did not start within 10 s');
  const { baseUrl } = JSON.parse(firstLine);
  return {
    baseUrl,
    async creates() {
      const res = await fetch(`${baseUrl}/bench/creates`);
      return (await res.json()).creates;
    },
    async lookups() {
      const res = await fetch(`${baseUrl}/bench/creates`);
      return (await res.json()).lookups;
    },
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) child.kill('SIGKILL');
    },
  };
}

/**
 * Starts `node [nodeArgs] entry` on 127.0.0.1 with exactly `env` (plus PATH and HOME) in `cwd`,
 * and resolves once GET /health/live answers 200.
 */
export async function startApp({ entry, env, cwd, nodeArgs = [] }) {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = track(
    spawn(process.execPath, [...nodeArgs, entry], {
      cwd,
      env: { ...baseEnv(), ...env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited(child)) {
      throw new Error(`the app exited during start-up:\n${output.join('')}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer /health/live within 30 s:\n${output.join('')}`);
    }
    const ok = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) break;
    await sleep(20);
  }
  const bootMs = performance.now() - spawnedAt;

  return {
    url,
    pid: child.pid,
    /** From spawn to the first 200 from /health/live, polled every 20 ms. */
    bootMs,
    /** CPU time (user + system) the process has used so far, in ms. */
    cpuMs: () => cpuMsOf(child.pid),
    rssMib: () => (new PeakRss(child.pid).read('VmRSS') ?? NaN) / 1024,
    output: () => output.join(''),
    peakRss: new PeakRss(child.pid),
    /** Stops the app with `signal` and waits for it to exit (SIGKILL after `timeoutMs`). */
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (exited(child)) return;
      child.kill(signal);
      if (!(await waitForExit(child, timeoutMs))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    },
  };
}

function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in USER_HZ (100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The peak resident set of a process since `reset()`: VmHWM after resetting it through
 * /proc/<pid>/clear_refs (Linux), else the largest VmRSS seen by polling every 50 ms.
 */
class PeakRss {
  constructor(pid) {
    this.pid = pid;
    this.timer = undefined;
    this.polledKb = 0;
    this.hwmIsReset = false;
  }

  reset() {
    this.polledKb = 0;
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmIsReset = true;
    } catch {
      this.hwmIsReset = false;
    }
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.polledKb = Math.max(this.polledKb, this.read('VmRSS') ?? 0);
    }, 50);
    this.timer.unref();
  }

  /** Stops polling; the peak in MiB and how it was measured. */
  stop() {
    clearInterval(this.timer);
    const hwm = this.hwmIsReset ? this.read('VmHWM') : undefined;
    const kb = hwm ?? Math.max(this.polledKb, this.read('VmRSS') ?? 0);
    return { mib: kb / 1024, method: hwm === undefined ? 'VmRSS polled every 50 ms' : 'VmHWM' };
  }

  read(field) {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * The service's environment in every bench run: SQLite at `sqlitePath`, quiet hours off (the
 * bench runs at any hour), no dedupe window (every send has its own text anyway) and every limit
 * raised to `limit`, still enforced, so each send still counts against all of them.
 */
export function benchAppEnv({ apiKey, sqlitePath, limit }) {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    API_KEYS: `bench:${apiKey}:sms.send+sms.read`,
    SQLITE_PATH: sqlitePath,
    DEDUPE_WINDOW: '0',
    QUIET_HOURS: 'off',
    RATE_LIMIT_PER_KEY: String(limit),
    RATE_LIMIT_PER_RECIPIENT_10MIN: String(limit),
    RATE_LIMIT_PER_RECIPIENT_DAY: String(limit),
    RATE_LIMIT_PER_CONVERSATION: String(limit),
    RATE_LIMIT_CONVERSATION_RECIPIENTS: String(limit),
    RATE_LIMIT_AUTH_FAILURES_PER_IP: String(limit),
    DAILY_SEND_CAP: String(limit),
  };
}
