import type { AppConfig } from '../config/app.config.js';
import type { DatabaseConfig } from '../config/database.config.js';
import { migrations } from '../database/migrations/index.js';
import type { ToolExport } from '../agents/elevenlabs/elevenlabs.service.js';
import { elevenLabsDoctorCheck } from '../agents/elevenlabs/elevenlabs-doctor.js';
import type { ChosenProvider } from '../providers/provider-registration.js';
import {
  configurationCheck,
  databaseCheck,
  migrationsCheck,
  publicUrlCheck,
  redisCheck,
} from './local-checks.js';
import type { CheckResult, DoctorCheck } from './check.js';
import type { DoctorConfig } from './doctor.config.js';

/** Lines other folders own, after the service's own. */
const OTHER_CHECKS: readonly DoctorCheck[] = [elevenLabsDoctorCheck];

export interface DoctorSettings {
  app: AppConfig;
  /** The provider this configuration sends through: it brings its own lines. */
  provider: ChosenProvider;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  doctor: DoctorConfig;
}

/** How the checks reach the outside; the running service and the CLI each provide them. */
export interface DoctorProbes {
  /** 'missing': a SQLite file not created yet (and not created by looking). Throws when unreachable. */
  pingDatabase(): Promise<'ok' | 'missing'>;
  /** Names recorded in the migrations table; [] when it does not exist. */
  appliedMigrations(): Promise<string[]>;
  pingRedis(): Promise<unknown>;
  fetch(url: string): Promise<Response>;
  toolExport(): Promise<ToolExport>;
  /** The running service's audit chain line; the CLI, which verifies nothing, has none. */
  auditChain?(): CheckResult;
}

/** Read-only by construction: every probe reads; nothing here sends a text or writes a setting. */
export async function runDoctor(
  settings: DoctorSettings,
  probes: DoctorProbes,
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [configurationCheck()];
  const reached = await probes
    .pingDatabase()
    .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  checks.push(databaseCheck(settings.database, reached));
  const known = migrations.map((m) => (new m() as { name?: string }).name ?? m.name);
  const applied =
    reached instanceof Error
      ? null
      : reached === 'missing'
        ? []
        : await probes.appliedMigrations().catch(() => null);
  checks.push(migrationsCheck(settings.database, known, applied));
  checks.push(await redisCheck(settings.redisUrl, () => probes.pingRedis()));
  checks.push(
    ...(await settings.provider.doctorChecks({ publicBaseUrl: settings.app.publicBaseUrl })),
  );
  checks.push(
    await publicUrlCheck(settings.app, settings.provider.publicUrl, (url) => probes.fetch(url)),
  );
  if (probes.auditChain) checks.push(probes.auditChain());
  for (const check of OTHER_CHECKS) {
    const result = await check.run({ doctor: settings.doctor, toolExport: probes.toolExport });
    if (result) checks.push(result);
  }
  return checks;
}

/** Time given to each outside answer (PUBLIC_BASE_URL). */
export const PROBE_TIMEOUT_MS = 5000;
