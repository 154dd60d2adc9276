import { inboundReplaySuite } from './inbound-replay.suite.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';

describeWithPostgres('a replayed Twilio inbound message on PostgreSQL', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('inbound_replay');
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('the replay specification', () => {
    inboundReplaySuite(() => ({ DATABASE_URL: db.url }));
  });
});
