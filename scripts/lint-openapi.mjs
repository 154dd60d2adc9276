#!/usr/bin/env node
// Lints the OpenAPI document the service serves (/docs-json) with Redocly CLI and redocly.yaml.
// Builds first (CI lints before `npm run build`), writes the document into dist/, lints it. The
// path is fixed because .redocly.lint-ignore.yaml names the document by it.
import { spawnSync } from 'node:child_process';

const file = 'dist/openapi.json';
const steps = [
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
  ['dist/openapi/cli.js', file],
  ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--config', 'redocly.yaml', file],
];
// No usage telemetry or update check from CI.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
let status = 0;
for (const args of steps) {
  status = spawnSync(process.execPath, args, { stdio: 'inherit', env }).status ?? 1;
  if (status !== 0) break;
}
process.exitCode = status;
