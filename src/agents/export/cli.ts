#!/usr/bin/env node
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readToolExport } from '../elevenlabs/cli.js';
import type { WayInRegistration } from '../way-in.js';
import { WAYS_IN } from '../ways-in.js';

/**
 * The ways in that print tool definitions (src/agents/ways-in.ts): each builds them from the
 * served OpenAPI document (src/agents/shared/tool-parameters.ts), so a new tool reaches every
 * platform with no per-platform code.
 */
type ExportingWayIn = WayInRegistration & Required<Pick<WayInRegistration, 'exporter'>>;
const EXPORTING: readonly ExportingWayIn[] = WAYS_IN.filter(
  (wayIn): wayIn is ExportingWayIn => wayIn.exporter !== undefined,
);

function usage(): string {
  return `Usage: npm run tools:export -- --platform <${EXPORTING.map((w) => w.name).join('|')}>

Prints the platform's tool definitions for the registered tools (JSON). Reads PUBLIC_BASE_URL
and the platform's settings; docs/PLATFORMS.md says where each output goes.`;
}

export function parsePlatform(argv: string[]): ExportingWayIn {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { platform: { type: 'string' } },
  });
  if (positionals.length > 0) throw new Error(`Unexpected argument "${positionals[0]}".`);
  const platform = values.platform;
  if (!platform) throw new Error('--platform is required.');
  const wayIn = EXPORTING.find((candidate) => candidate.name === platform);
  if (!wayIn) throw new Error(`Unknown platform "${platform}".`);
  return wayIn;
}

async function main(): Promise<void> {
  let wayIn: ExportingWayIn;
  try {
    wayIn = parsePlatform(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const exported = await readToolExport();
    // A setting one platform's export alone reads is reported for that platform only.
    const othersOwn = new Set(
      WAYS_IN.filter((other) => other !== wayIn).flatMap((other) => other.exportSettings ?? []),
    );
    const relevant = exported.placeholders.filter(
      (variable) => !othersOwn.has(variable) || wayIn.exportSettings?.includes(variable),
    );
    for (const variable of relevant) {
      process.stderr.write(`${variable} is not set: the output holds a placeholder for it.\n`);
    }
    process.stdout.write(`${JSON.stringify(wayIn.exporter(exported), null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
