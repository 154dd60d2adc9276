import { Inject, Injectable, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AuditChainState } from '../audit/chain-state.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { redisConfig } from '../config/redis.config.js';
import { ElevenLabsService } from '../agents/elevenlabs/elevenlabs.service.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
import { CHOSEN_PROVIDER } from '../providers/provider.config.js';
import type { ChosenProvider } from '../providers/provider-registration.js';
import { auditChainCheck } from './audit-chain.check.js';
import type { CheckResult } from './check.js';
import { doctorConfig, type DoctorConfig } from './doctor.config.js';
import { PROBE_TIMEOUT_MS, runDoctor, type DoctorProbes, type DoctorSettings } from './doctor.js';

/** The settings the checklist reads, gathered once: the running service's own. */
export const DOCTOR_SETTINGS = Symbol('DOCTOR_SETTINGS');

export const doctorSettingsProvider: Provider = {
  provide: DOCTOR_SETTINGS,
  inject: [appConfig.KEY, CHOSEN_PROVIDER, databaseConfig.KEY, redisConfig.KEY, doctorConfig.KEY],
  useFactory: (
    app: AppConfig,
    provider: ChosenProvider,
    database: DatabaseConfig,
    redis: { url?: string },
    doctor: DoctorConfig,
  ): DoctorSettings => ({ app, provider, database, redisUrl: redis.url, doctor }),
};

/** The running service's view: its own database, Redis client and tool export. */
@Injectable()
export class DoctorService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly elevenlabs: ElevenLabsService,
    @Inject(DOCTOR_SETTINGS) private readonly settings: DoctorSettings,
    private readonly auditChain: AuditChainState,
  ) {}

  run(): Promise<CheckResult[]> {
    const probes: DoctorProbes = {
      pingDatabase: async () => {
        await this.dataSource.query('SELECT 1');
        return 'ok';
      },
      appliedMigrations: () => appliedMigrations(this.dataSource),
      pingRedis: async () => this.redis?.ping(),
      fetch: (url) => fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }),
      toolExport: () => Promise.resolve(this.elevenlabs.toolExport()),
      auditChain: () => auditChainCheck(this.auditChain.status, this.auditChain.config),
    };
    return runDoctor(this.settings, probes);
  }
}

/** Reads TypeORM's migrations table without creating it (showMigrations() would). */
export async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable('migrations'))) return [];
    const rows = (await runner.query('SELECT name FROM migrations')) as { name: string }[];
    return rows.map((r) => r.name);
  } finally {
    await runner.release();
  }
}
