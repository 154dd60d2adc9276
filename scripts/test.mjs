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

const dir = mkdtempSync(join(tmpdir(), 'jest-'));
const output = join(dir, 'results.json');
const run = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    'node_modules/jest/bin/jest.js',
    '--json',
    `--outputFile=${output}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);

let summary = 'tests: 0 passed, 0 failed';
try {
  const results = JSON.parse(readFileSync(output, 'utf8'));
  const skipped = results.numPendingTests + results.numTodoTests;
  summary = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`;
  if (results.numFailedTestSuites > 0 && results.numFailedTests === 0) {
    summary += ` (${results.numFailedTestSuites} suites failed to run)`;
  }
} catch {
  summary += ' (no results: Jest did not finish)';
}
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(run.status ?? 1);
