#!/usr/bin/env node
// Starts several instances of the built app (dist/main.js) on different ports, sharing the
// environment: with DATABASE_URL (PostgreSQL) and REDIS_URL they share every piece of state.
//   node scripts/cluster.mjs 3001 3002        # runs until Ctrl-C
// The tests import startInstances() to run the same thing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'main.js');

async function waitForLive(url, child, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`instance on ${url} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health/live`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`instance on ${url} did not answer /health/live within ${timeoutMs} ms`);
}

/**
 * @param {{ ports: number[], env?: Record<string, string>, timeoutMs?: number, inheritOutput?: boolean }} options
 * @returns {Promise<{ urls: string[], processes: import('node:child_process').ChildProcess[], stop(signal?: NodeJS.Signals): Promise<Array<number | string>> }>}
 */
export async function startInstances({
  ports,
  env = {},
  timeoutMs = 30_000,
  inheritOutput = false,
}) {
  if (!existsSync(main)) throw new Error('dist/main.js is missing: run npm run build first');
  const processes = ports.map((port) =>
    spawn(process.execPath, [main], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: inheritOutput ? 'inherit' : 'ignore',
    }),
  );
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const exited = processes.map(
    (child) =>
      new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))),
  );
  const stop = async (signal = 'SIGTERM') => {
    for (const child of processes) if (child.exitCode === null) child.kill(signal);
    return Promise.all(exited);
  };
  try {
    await Promise.all(urls.map((url, i) => waitForLive(url, processes[i], timeoutMs)));
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  return { urls, processes, stop };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ports = process.argv.slice(2).map(Number);
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p <= 0)) {
    console.error('usage: node scripts/cluster.mjs <port> [<port> ...]');
    process.exit(2);
  }
  const cluster = await startInstances({ ports, inheritOutput: true });
  console.error(`instances ready: ${cluster.urls.join(', ')}`);
  const stopAll = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
}
