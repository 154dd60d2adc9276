import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bodyParser: false,
    abortOnError: false,
    bufferLogs: true,
    // During shutdown new requests get 503 while in-flight sends finish and settle.
    return503OnClosing: true,
  });
  app.useLogger(app.get(Logger));
  const config = configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const url = `http://localhost:${config.port}`;
  const logger = new NestLogger('Bootstrap');
  logger.log(`Listening on ${url}${config.docsEnabled ? `; Swagger UI at ${url}/docs` : ''}`);
}

bootstrap().catch((error: unknown) => {
  // A bad setting names its variable; print that, not a stack.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
