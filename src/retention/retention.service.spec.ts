import { retentionSuite } from '../../test/retention.suite.js';

// SQLite in memory; test/retention.int-spec.ts runs the same specification on PostgreSQL.
describe('RetentionService (SQLite)', () => {
  retentionSuite('sqlite', () => ({
    type: 'sqlite',
    url: undefined,
    sqlitePath: ':memory:',
    migrationsRun: true,
  }));
});
