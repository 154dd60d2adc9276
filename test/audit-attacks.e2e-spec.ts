import { auditAttackSuite } from './audit-attacks.suite.js';

// test/audit.int-spec.ts runs the same attacks on PostgreSQL.
describe('the audit trail against someone who can write the database (e2e, SQLite)', () => {
  auditAttackSuite(() => Promise.resolve({ env: {}, drop: () => Promise.resolve() }));
});
