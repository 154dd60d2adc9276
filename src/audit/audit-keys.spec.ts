import { auditKeysSuite } from '../../test/audit-keys.suite.js';

// SQLite in memory; test/audit.int-spec.ts runs the same specification on PostgreSQL.
describe('audit chain keys, re-anchoring, checkpoints and purge records (SQLite)', () => {
  auditKeysSuite(() => ({
    type: 'sqlite',
    url: undefined,
    sqlitePath: ':memory:',
    migrationsRun: true,
  }));
});
