#!/usr/bin/env node
// Runs every test suite. Suites that need PostgreSQL or Redis run when DATABASE_URL /
// REDIS_URL are set and are skipped (and named here) when they are not.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const needs = [
  ['DATABASE_URL', 'PostgreSQL suites (message store, audit chain, idempotency across instances)'],
  ['REDIS_URL', 'Redis suites (shared rate limits across instances)'],
];
for (const [variable, suites] of needs) {
  if (!process.env[variable]) console.log(`${variable} is not set: skipping the ${suites}.`);
}
if (!existsSync('/usr/bin/chromium') && process.env.CI !== 'true') {
  console.log('/usr/bin/chromium is missing: skipping the Swagger UI browser suite.');
}

// The process suites (graceful shutdown, two instances) run the built app, as production does.
const build = spawnSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) {
  console.log('tests: 0 passed, 1 failed (the build failed)');
  process.exit(1);
}

// Jest runs the suites in one process here (one worker on two cores), and every suite leaves its
// module graph behind in that process: all of them in one run filled a 4 GB heap and slowed the
// last suites 100-fold. So the whole run is three runs of a third of the suites each. A run with
// arguments (a file, a pattern) is one run.
const args = process.argv.slice(2);
const shards = args.length === 0 ? 3 : 1;
const dir = mkdtempSync(join(tmpdir(), 'jest-'));
const totals = { passed: 0, failed: 0, skipped: 0, failedSuites: 0, finished: 0 };
let status = 0;
for (let shard = 1; shard <= shards; shard += 1) {
  const output = join(dir, `results-${shard}.json`);
  const run = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      'node_modules/jest/bin/jest.js',
      '--json',
      `--outputFile=${output}`,
      ...(shards > 1 ? [`--shard=${shard}/${shards}`] : []),
      ...args,
    ],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  if (run.status !== 0) status = run.status ?? 1;
  try {
    const results = JSON.parse(readFileSync(output, 'utf8'));
    totals.passed += results.numPassedTests;
    totals.failed += results.numFailedTests;
    totals.skipped += results.numPendingTests + results.numTodoTests;
    totals.failedSuites += results.numFailedTestSuites;
    totals.finished += 1;
  } catch {
    // No results file: Jest did not finish; said in the summary below.
  }
}

let summary = `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
if (totals.failedSuites > 0 && totals.failed === 0) {
  summary += ` (${totals.failedSuites} suites failed to run)`;
}
if (totals.finished < shards) summary += ' (no results: Jest did not finish)';
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(status);
