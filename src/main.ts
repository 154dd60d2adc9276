import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { AppLogger } from './logging/app-logger.js';
import { announceBoot } from './logging/boot-banner.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(),
    createHttpAdapter(),
    {
      bodyParser: false,
      abortOnError: false,
      bufferLogs: true,
      // During shutdown new requests get 503 while in-flight sends finish and settle.
      return503OnClosing: true,
    },
  );
  app.useLogger(app.get(AppLogger));
  const config = configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  announceBoot(app);
}

bootstrap().catch((error: unknown) => {
  // A bad setting names its variable; print that, not a stack.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
