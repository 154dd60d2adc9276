import { retentionSuite } from './retention.suite.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';

describeWithPostgres('retention on PostgreSQL', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('retention');
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('the retention specification', () => {
    retentionSuite('postgres', () => ({
      type: 'postgres',
      url: db.url,
      sqlitePath: '',
      migrationsRun: true,
    }));
  });
});
