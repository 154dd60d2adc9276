import { consentServiceSuite } from '../../test/consent-service.suite.js';

// SQLite in memory; test/consent.int-spec.ts runs the same specification on PostgreSQL.
describe('ConsentService (SQLite)', () => {
  consentServiceSuite(() => ({
    type: 'sqlite',
    url: undefined,
    sqlitePath: ':memory:',
    migrationsRun: true,
  }));
});
