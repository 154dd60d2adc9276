import { Logger, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { authConfig, type AuthConfig } from '../config/auth.config.js';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { redisConfig } from '../config/redis.config.js';
import { schedulingConfig, type QuietHours } from '../config/scheduling.config.js';
import { CHOSEN_PROVIDER } from '../providers/provider.config.js';
import type { ChosenProvider } from '../providers/provider-registration.js';
import { isPrettyOutput } from './output-format.js';

/** What a person needs at boot; nothing secret except the development key. */
export interface BootFacts {
  url: string;
  docsUrl: string | null;
  developmentKey: string | null;
  provider: string;
  database: string;
  redis: string;
  quietHours: string;
}

export function bootFacts(app: INestApplication): BootFacts {
  const config = app.get<AppConfig>(appConfig.KEY);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host)
    ? 'localhost'
    : config.host;
  const url = `http://${host}:${port}`;
  const scheduling = app.get<ReturnType<typeof schedulingConfig>>(schedulingConfig.KEY);
  return {
    url,
    docsUrl: config.docsEnabled ? `${url}/docs` : null,
    developmentKey: app.get<AuthConfig>(authConfig.KEY).developmentKey ?? null,
    provider: app.get<ChosenProvider>(CHOSEN_PROVIDER).description,
    database: describeDatabase(app.get<DatabaseConfig>(databaseConfig.KEY)),
    redis: describeRedis(app.get<ReturnType<typeof redisConfig>>(redisConfig.KEY).url),
    quietHours: describeQuietHours(scheduling.quietHours, scheduling.defaultTimeZone),
  };
}

/** The host and database name, never the user or password. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.type === 'sqlite') return `SQLite ${database.sqlitePath}`;
  try {
    const url = new URL(database.url as string);
    return `PostgreSQL ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export function describeRedis(url: string | undefined): string {
  if (!url) return 'none: rate limits kept in this process';
  try {
    return `Redis ${new URL(url).host}`;
  } catch {
    return 'Redis';
  }
}

export function describeQuietHours(quietHours: QuietHours | null, defaultZone: string): string {
  if (!quietHours) return 'off';
  const time = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return `${time(quietHours.startMinute)}-${time(quietHours.endMinute)} in the patient's time zone (default ${defaultZone})`;
}

/** The banner as a person reads it at a terminal. */
export function bannerText(facts: BootFacts): string {
  const rows: [string, string | null][] = [
    ['URL', facts.url],
    ['Swagger UI', facts.docsUrl ?? 'off (DOCS_ENABLED=false)'],
    ['Development API key', facts.developmentKey],
    ['Provider', facts.provider],
    ['Database', facts.database],
    ['Redis', facts.redis],
    ['Quiet hours', facts.quietHours],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows
    .filter((row): row is [string, string] => row[1] !== null)
    .map(([label, value]) => `  ${`${label}:`.padEnd(width + 2)}${value}`);
  const hints = facts.developmentKey
    ? ['', '  Open Swagger UI, press Authorize, paste the key, then "Try it out" on any tool.']
    : [];
  return ['', '  agent-sms-gateway is ready', '', ...lines, ...hints, '', ''].join('\n');
}

/**
 * After listen: the banner for a person at a terminal, or one JSON record for a collector
 * (the development key, when there is one, on its own plain line so it can be copied).
 */
export function announceBoot(
  app: INestApplication,
  pretty = isPrettyOutput(process.env, process.stdout.isTTY),
): void {
  const facts = bootFacts(app);
  if (pretty) {
    process.stdout.write(bannerText(facts));
    return;
  }
  if (facts.developmentKey) process.stdout.write(`Development API key: ${facts.developmentKey}\n`);
  const loggable: Partial<BootFacts> = { ...facts };
  delete loggable.developmentKey;
  new Logger('Bootstrap').log(
    loggable,
    `Listening on ${facts.url}${facts.docsUrl ? `; Swagger UI at ${facts.docsUrl}` : ''}`,
  );
}
