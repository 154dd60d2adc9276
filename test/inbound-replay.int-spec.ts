import type { INestApplication } from '@nestjs/common';
import { ConsentService } from '../src/consent/consent.service.js';
import {
  deliverSigned,
  INBOUND_TWILIO_ENV,
  inboundReplaySuite,
  newPatient,
  newSid,
} from './inbound-replay.suite.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp } from './support/test-app.js';

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

  describe('two instances', () => {
    let first: INestApplication;
    let second: INestApplication;
    beforeAll(async () => {
      const env = { ...INBOUND_TWILIO_ENV, DATABASE_URL: db.url };
      first = await createTestApp({ env });
      second = await createTestApp({ env });
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    it('act once on one MessageSid delivered to both at the same time', async () => {
      const from = newPatient();
      const stop = { MessageSid: newSid(), From: from, Body: 'STOP' };
      const answers = await Promise.all(
        [first, second, first, second].map((app) => deliverSigned(app, stop)),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers.filter((a) => a.text.includes('unsubscribed'))).toHaveLength(1);
      const changes = await first.get(ConsentService).listChanges({ recipient: from });
      expect(changes.changes).toHaveLength(1);
    });
  });
});
