import type { AppConfig } from '../config/app.config.js';
import type { DatabaseConfig } from '../config/database.config.js';
import type { TwilioConfig } from '../config/twilio.config.js';
import { migrations } from '../database/migrations/index.js';
import type { ToolExport } from '../agents/elevenlabs/elevenlabs.service.js';
import type { ElevenLabsApi } from '../agents/elevenlabs/tool-sync.js';
import {
  configurationCheck,
  databaseCheck,
  migrationsCheck,
  publicUrlCheck,
  redisCheck,
  sandboxCheck,
} from './local-checks.js';
import type { CheckResult } from './check.js';
import type { DoctorConfig } from './doctor.config.js';
import { elevenLabsCheck } from './elevenlabs-check.js';
import { twilioChecks, type TwilioReads } from './twilio-checks.js';

export interface DoctorSettings {
  app: AppConfig;
  twilio: TwilioConfig;
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
  twilio(): TwilioReads;
  fetch(url: string): Promise<Response>;
  toolExport(): Promise<ToolExport>;
  elevenLabs(): Promise<ElevenLabsApi>;
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
    ...(settings.twilio.enabled
      ? await twilioChecks(settings.twilio, settings.app.publicBaseUrl, probes.twilio())
      : [sandboxCheck()]),
  );
  checks.push(await publicUrlCheck(settings.app, settings.twilio, (url) => probes.fetch(url)));
  if (probes.auditChain) checks.push(probes.auditChain());
  if (settings.doctor.elevenLabsApiKey) {
    checks.push(
      await elevenLabsCheck(
        settings.doctor.elevenLabsAgentId,
        await probes.toolExport(),
        await probes.elevenLabs(),
      ),
    );
  }
  return checks;
}

/** Time given to each outside answer (PUBLIC_BASE_URL). */
export const PROBE_TIMEOUT_MS = 5000;
