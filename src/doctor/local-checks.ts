import type { AppConfig } from '../config/app.config.js';
import type { DatabaseConfig } from '../config/database.config.js';
import type { ChosenProvider } from '../providers/provider-registration.js';
import { describeDatabase, describeRedis } from '../logging/boot-banner.js';
import { fail, pass, warn, type CheckResult } from './check.js';

export const LOCAL_CHECKS = {
  configuration: 'Configuration',
  database: 'Database',
  migrations: 'Migrations',
  redis: 'Redis',
  publicUrl: 'PUBLIC_BASE_URL',
} as const;

export function configurationCheck(error?: Error): CheckResult {
  return error
    ? fail(
        LOCAL_CHECKS.configuration,
        error.message,
        'Fix the variable it names (.env.example lists every setting with its default); the service will not start until then.',
      )
    : pass(LOCAL_CHECKS.configuration, 'every setting is valid');
}

/** `reached`: the ping's answer ('missing': a SQLite file not created yet), or why it failed. */
export function databaseCheck(
  config: DatabaseConfig,
  reached: 'ok' | 'missing' | Error,
): CheckResult {
  const name = describeDatabase(config);
  if (reached === 'missing') {
    return pass(
      LOCAL_CHECKS.database,
      `${name}: not created yet, the service creates it at its first start`,
    );
  }
  if (reached === 'ok') return pass(LOCAL_CHECKS.database, `${name} reachable`);
  return fail(
    LOCAL_CHECKS.database,
    `${name} unreachable: ${reached.message}`,
    config.type === 'postgres'
      ? 'Check DATABASE_URL (host, port, database, user, password) and that PostgreSQL accepts connections from this host.'
      : 'Check SQLITE_PATH: its folder must be writable by the service.',
  );
}

/** `applied`: names in the migrations table ([] when it does not exist); null when unreadable. */
export function migrationsCheck(
  config: DatabaseConfig,
  known: string[],
  applied: string[] | null,
): CheckResult {
  if (applied === null) {
    return warn(
      LOCAL_CHECKS.migrations,
      'not checked: the database is unreachable',
      'See the Database line.',
    );
  }
  const pending = known.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return warn(
      LOCAL_CHECKS.migrations,
      `the database has ${unknown.length} migration(s) this release does not know (${unknown.join(', ')})`,
      'A newer release ran against this database: run that release, or restore the matching schema.',
    );
  }
  if (pending.length === 0) return pass(LOCAL_CHECKS.migrations, `all ${known.length} applied`);
  if (!config.migrationsRun) {
    return fail(
      LOCAL_CHECKS.migrations,
      `${pending.length} of ${known.length} pending and DB_MIGRATIONS_RUN=false`,
      'Start one instance with DB_MIGRATIONS_RUN=true to apply them (docs/OPERATIONS.md, Migrations).',
    );
  }
  return pass(
    LOCAL_CHECKS.migrations,
    `${pending.length} of ${known.length} pending: the service applies them when it starts (DB_MIGRATIONS_RUN=true)`,
  );
}

export async function redisCheck(
  url: string | undefined,
  ping: () => Promise<unknown>,
): Promise<CheckResult> {
  if (!url) {
    return pass(
      LOCAL_CHECKS.redis,
      'none: rate limits are kept in this process',
      'Fine for one instance; set REDIS_URL before running several, so they share the limits.',
    );
  }
  try {
    await ping();
    return pass(LOCAL_CHECKS.redis, `${describeRedis(url)} reachable`);
  } catch (error) {
    return fail(
      LOCAL_CHECKS.redis,
      `${describeRedis(url)} unreachable: ${(error as Error).message}`,
      'Check REDIS_URL and that Redis accepts connections from this host; until then every send is refused (503).',
    );
  }
}

/** PUBLIC_BASE_URL must answer GET /health/live, over https, for the provider and ElevenLabs. */
export async function publicUrlCheck(
  app: AppConfig,
  provider: ChosenProvider['publicUrl'],
  fetchUrl: (url: string) => Promise<Response>,
): Promise<CheckResult> {
  const base = app.publicBaseUrl;
  if (!base) {
    return provider.needed
      ? warn(
          LOCAL_CHECKS.publicUrl,
          `not set: ${provider.unsetDetail}`,
          'Set PUBLIC_BASE_URL to the https URL this service is reached at from the internet.',
        )
      : pass(
          LOCAL_CHECKS.publicUrl,
          `not set: ${provider.unsetDetail}`,
          'Before going live, set it to the https URL Twilio and ElevenLabs reach this service at.',
        );
  }
  const live = `${base}/health/live`;
  try {
    const res = await fetchUrl(live);
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    if (res.status !== 200 || body?.status !== 'ok') {
      return fail(
        LOCAL_CHECKS.publicUrl,
        `GET ${live} answered ${res.status}, not this service`,
        'Point PUBLIC_BASE_URL (DNS, proxy route) at this service.',
      );
    }
  } catch (error) {
    return fail(
      LOCAL_CHECKS.publicUrl,
      `GET ${live} failed: ${(error as Error).message}`,
      'Make the URL reach this service (DNS, TLS certificate, proxy, firewall); Twilio and ElevenLabs call it.',
    );
  }
  return base.startsWith('https://')
    ? pass(LOCAL_CHECKS.publicUrl, `${live} answers over https`)
    : warn(
        LOCAL_CHECKS.publicUrl,
        `${live} answers, over http`,
        'Serve it over https (a TLS-terminating proxy): Twilio and ElevenLabs send signed requests with patient data.',
      );
}
