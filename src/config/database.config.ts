import { registerAs } from '@nestjs/config';
import { ConfigError, readBool, readString } from './env.js';

export const databaseConfig = registerAs('database', () => {
  const env = process.env;
  const url = readString(env, 'DATABASE_URL');
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL (leave it unset for SQLite)');
  }
  return {
    type: url ? ('postgres' as const) : ('sqlite' as const),
    url,
    /** SQLite file used when DATABASE_URL is unset; ":memory:" for throwaway runs. */
    sqlitePath: readString(env, 'SQLITE_PATH', './data/agent-sms-gateway.sqlite') as string,
    migrationsRun: readBool(env, 'DB_MIGRATIONS_RUN', true),
  };
});

export type DatabaseConfig = ReturnType<typeof databaseConfig>;
