#!/usr/bin/env node
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readToolExport } from '../elevenlabs/cli.js';
import { EXPORTERS, isExportPlatform, type ExportPlatform } from './exporters.js';

function usage(): string {
  return `Usage: npm run tools:export -- --platform <${Object.keys(EXPORTERS).join('|')}>

Prints the platform's tool definitions for the registered tools (JSON). Reads PUBLIC_BASE_URL
and the platform's settings; docs/PLATFORMS.md says where each output goes.`;
}

export function parsePlatform(argv: string[]): ExportPlatform {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { platform: { type: 'string' } },
  });
  if (positionals.length > 0) throw new Error(`Unexpected argument "${positionals[0]}".`);
  const platform = values.platform;
  if (!platform) throw new Error('--platform is required.');
  if (!isExportPlatform(platform)) throw new Error(`Unknown platform "${platform}".`);
  return platform;
}

async function main(): Promise<void> {
  let platform: ExportPlatform;
  try {
    platform = parsePlatform(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const exported = await readToolExport();
    // The workspace secret is ElevenLabs' own; the other platforms hold the key themselves.
    const relevant = exported.placeholders.filter(
      (variable) => variable !== 'ELEVENLABS_SECRET_ID' || platform === 'elevenlabs',
    );
    for (const variable of relevant) {
      process.stderr.write(`${variable} is not set: the output holds a placeholder for it.\n`);
    }
    process.stdout.write(`${JSON.stringify(EXPORTERS[platform](exported), null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
