#!/usr/bin/env node
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { writeDocs } from './tool-docs.js';

/** Rewrites the docs' generated blocks (the tool tables, the ElevenLabs prompt) from the registry. */
function main(): void {
  try {
    const written = writeDocs(process.cwd());
    process.stdout.write(
      written.length > 0
        ? `Updated from the tool registry: ${written.join(', ')}\n`
        : 'The docs match the tool registry.\n',
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
