import { auditChainSuite, openAuditLog, sendEvent } from '../../test/audit-chain.suite.js';

// SQLite in memory; test/audit.int-spec.ts runs the same specification on PostgreSQL.
describe('AuditLogService hash chain (SQLite)', () => {
  auditChainSuite(() => ({
    type: 'sqlite',
    url: undefined,
    sqlitePath: ':memory:',
    migrationsRun: true,
  }));
});

describe('AuditLogService on SQLite', () => {
  it("refuses a manager from a transaction it did not queue: they would nest on SQLite's one connection", async () => {
    const { dataSource, audit, close } = await openAuditLog({
      type: 'sqlite',
      url: undefined,
      sqlitePath: ':memory:',
      migrationsRun: true,
    });
    try {
      await expect(
        dataSource.transaction((manager) => audit.append(sendEvent(1), manager)),
      ).rejects.toThrow('UnitOfWork.run()');
      await expect(audit.verify()).resolves.toMatchObject({ ok: true, checked: 0 });
    } finally {
      await close();
    }
  });
});
