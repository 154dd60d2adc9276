import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';

/** One place that turns configuration into TypeORM options, for the app and the CLI scripts. */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: config.migrationsRun };
  if (config.type === 'postgres') {
    return { ...common, type: 'postgres', url: config.url, extra: { max: 10 } };
  }
  if (config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    // WAL lets readers (status checks, audit queries) run while a send is being written.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      // better-sqlite3's own default, said here: a commit is in the WAL file (the OS keeps it
      // when the process dies) without an fsync; only power loss or an OS crash can undo the
      // last commits, never half of one (bench/RESULTS.md, "What a kill -9 can lose").
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
    },
  };
}
