#!/usr/bin/env node
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { AppModule } from '../app.module.js';
import { buildOpenApiDocument, configureApp, createHttpAdapter } from '../app.setup.js';
import { Clock } from '../common/clock.js';
import { withDatedExamples } from '../common/dated-examples.js';

/**
 * Writes the OpenAPI document /docs-json serves to the file named by the first argument, without
 * listening on a port, so CI can lint the contract platforms import (npm run lint:openapi).
 * Boots in memory like the ElevenLabs CLI: no configured database, Redis or metrics port.
 */
async function main(): Promise<void> {
  const [target] = process.argv.slice(2);
  if (!target) {
    process.stderr.write('Usage: node dist/openapi/cli.js <output.json>\n');
    process.exitCode = 2;
    return;
  }
  process.env.DATABASE_URL = '';
  process.env.SQLITE_PATH = ':memory:';
  process.env.REDIS_URL = '';
  process.env.METRICS_PORT = '';
  // Without API_KEYS the app would print a development key that this process never serves.
  process.env.API_KEYS ||= `cli:${randomBytes(24).toString('base64url')}`;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(),
    createHttpAdapter(),
    { bodyParser: false, abortOnError: false, logger: ['error', 'warn'] },
  );
  try {
    configureApp(app);
    await app.init();
    // As served: date examples are filled in on each request.
    const document = withDatedExamples(buildOpenApiDocument(app), app.get(Clock).now());
    writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await app.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
