import { consentServiceSuite } from './consent-service.suite.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';

describeWithPostgres('ConsentService on PostgreSQL', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('consent');
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('the consent registry specification', () => {
    consentServiceSuite(() => ({
      type: 'postgres',
      url: db.url,
      sqlitePath: '',
      migrationsRun: true,
    }));
  });
});
