import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config.js';
import { metricsConfig } from '../config/metrics.config.js';
import { SERVICE_CONFIGS } from '../config/service-configs.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { elevenlabsConfig } from '../agents/elevenlabs/elevenlabs.config.js';
import { formatChecklist, type CheckResult } from './check.js';
import { doctorConfig } from './doctor.config.js';
import { appliedMigrations } from './doctor.service.js';
import { PROBE_TIMEOUT_MS, runDoctor, type DoctorSettings } from './doctor.js';
import { configurationCheck } from './local-checks.js';

/** Every setting the service validates at boot, read the way the service reads them (.env included). */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: [...SERVICE_CONFIGS, metricsConfig, elevenlabsConfig, doctorConfig],
    }),
  ],
})
class DoctorCliModule {}

export interface DoctorOutput {
  out(text: string): void;
}

/**
 * `npm run doctor`: the checklist against the configured database, Redis, SMS provider and
 * ElevenLabs, without starting the service: no migration, no dispatcher, nothing sent.
 * Answers 1 when a check fails, else 0.
 */
export async function runDoctorCli(
  io: DoctorOutput = { out: (text) => process.stdout.write(`${text}\n`) },
): Promise<number> {
  let context: INestApplicationContext;
  try {
    context = await NestFactory.createApplicationContext(DoctorCliModule, {
      logger: false,
      abortOnError: false,
    });
  } catch (error) {
    io.out(formatChecklist([configurationCheck(error as Error)]));
    return 1;
  }
  const config = context.get(ConfigService);
  const settings: DoctorSettings = {
    app: config.getOrThrow('app'),
    provider: config.getOrThrow('provider'),
    database: config.getOrThrow('database'),
    redisUrl: config.get<string>('redis.url'),
    doctor: config.getOrThrow('doctor'),
  };
  const database = new LazyDatabase(settings.database);
  let checks: CheckResult[];
  try {
    checks = await runDoctor(settings, {
      pingDatabase: () => database.ping(),
      appliedMigrations: async () => appliedMigrations(await database.open()),
      pingRedis: () => pingRedis(settings.redisUrl as string),
      fetch: (url) => fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }),
      // Boots the app in memory for its OpenAPI document (after the storage checks).
      toolExport: async () => (await import('../agents/elevenlabs/cli.js')).readToolExport(),
    });
  } finally {
    await database.close();
    await context.close();
  }
  io.out(formatChecklist(checks));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** Opened only if there is something to open: looking must not create a SQLite file. */
class LazyDatabase {
  private dataSource?: DataSource;

  constructor(private readonly config: DatabaseConfig) {}

  private get isMissing(): boolean {
    const { type, sqlitePath } = this.config;
    return type === 'sqlite' && sqlitePath !== ':memory:' && !existsSync(sqlitePath);
  }

  async ping(): Promise<'ok' | 'missing'> {
    if (this.isMissing) return 'missing';
    await (await this.open()).query('SELECT 1');
    return 'ok';
  }

  async open(): Promise<DataSource> {
    if (this.isMissing) throw new Error('not created yet');
    if (!this.dataSource) {
      const dataSource = new DataSource({
        ...dataSourceOptions(this.config),
        migrationsRun: false,
      });
      await dataSource.initialize();
      this.dataSource = dataSource;
    }
    return this.dataSource;
  }

  async close(): Promise<void> {
    await this.dataSource?.destroy();
  }
}

async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect(false);
  }
}
