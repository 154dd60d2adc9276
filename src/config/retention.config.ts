import { registerAs } from '@nestjs/config';
import { ConfigError, isProduction, readInt } from './env.js';
import { lineTypeConfig } from './line-type.config.js';
import { sendingConfig } from './sending.config.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 36_500;

interface RetentionSetting {
  variable: string;
  defaultDays: number;
  /** NODE_ENV=production refuses less: an accidental small value would erase the record. */
  productionFloorDays: number;
}

function retained(variable: string, defaultDays: number, productionFloorDays: number) {
  return { variable, defaultDays, productionFloorDays } satisfies RetentionSetting;
}

/**
 * One entry per table that holds patient data (the audit trail has its own, AUDIT_RETENTION_DAYS).
 * A new table is one line here; the compiler then asks for its purge in retention/table-purges.ts.
 */
export const RETENTION_SETTINGS = {
  /** Settled texts: full number and caller id. A month covers replays, callbacks and questions. */
  messages: retained('MESSAGES_RETENTION_DAYS', 365, 30),
  /** Texts of finished scheduled messages (deleted when they finish; this sweeps leftovers). */
  scheduled_texts: retained('SCHEDULED_TEXTS_RETENTION_DAYS', 1, 1),
  /** Opted-in state rows (full number); an opt-out is never purged. TCPA claims: four years. */
  consents: retained('CONSENTS_RETENTION_DAYS', 2192, 1461),
  /** Consent history; the latest change of each number is always kept. */
  consent_changes: retained('CONSENT_CHANGES_RETENTION_DAYS', 2192, 1461),
  /** The line type cache (hash, type, carrier). */
  line_types: retained('LINE_TYPES_RETENTION_DAYS', 365, 30),
  /** Events delivered or dead-lettered (ids, tool, masked number); a pending one always stays. */
  event_outbox: retained('EVENTS_RETENTION_DAYS', 30, 1),
  /** The text of patients' replies (the row, without it, stays: a replay is still recognised). */
  inbound_messages: retained('REPLY_RETENTION_DAYS', 30, 1),
};

export type RetainedTable = keyof typeof RETENTION_SETTINGS;
export const RETAINED_TABLES = Object.keys(RETENTION_SETTINGS) as RetainedTable[];

function readDays(env: NodeJS.ProcessEnv, setting: RetentionSetting): number {
  const days = readInt(env, setting.variable, setting.defaultDays, { min: 1, max: MAX_DAYS });
  if (isProduction(env) && days < setting.productionFloorDays) {
    throw new ConfigError(
      setting.variable,
      `must be at least ${setting.productionFloorDays} days in production, got ${days}`,
    );
  }
  return days;
}

export const retentionConfig = registerAs('retention', () => {
  const env = process.env;
  const days = Object.fromEntries(
    RETAINED_TABLES.map((table) => [table, readDays(env, RETENTION_SETTINGS[table])]),
  ) as Record<RetainedTable, number>;
  // Whatever the environment: a row purged inside these windows would change behaviour.
  const idempotencyDays = Math.ceil(sendingConfig().idempotencyTtlMs / DAY_MS);
  if (days.messages < idempotencyDays) {
    throw new ConfigError(
      'MESSAGES_RETENTION_DAYS',
      `must be at least IDEMPOTENCY_TTL_HOURS in days (${idempotencyDays}): a replay of an older key would send again`,
    );
  }
  const lineTypeCacheDays = Math.ceil(lineTypeConfig().cacheTtlMs / DAY_MS);
  if (days.line_types < lineTypeCacheDays) {
    throw new ConfigError(
      'LINE_TYPES_RETENTION_DAYS',
      `must be at least LINE_TYPE_CACHE_DAYS (${lineTypeCacheDays}): purged answers would be paid for again`,
    );
  }
  return {
    /** Days each table keeps its rows; what is never purged is in retention/table-purges.ts. */
    days,
    /** How often each instance purges; 0 turns the worker off (run `npm run retention:purge`). */
    intervalMs: readInt(env, 'RETENTION_INTERVAL_MINUTES', 1440, { min: 0, max: 10_080 }) * 60_000,
  };
});

export type RetentionConfig = ReturnType<typeof retentionConfig>;
