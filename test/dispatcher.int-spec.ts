import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Clock } from '../src/common/clock.js';
import { DispatcherService, type DispatchResult } from '../src/scheduling/dispatcher.service.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY, type TestAppOptions } from './support/test-app.js';

class MovableClock extends Clock {
  current = new Date('2026-11-26T03:00:00Z'); // 22:00 in New York: quiet hours
  override now(): Date {
    return new Date(this.current);
  }
}

const TEXTS = 50;

describeWithPostgres('the dispatcher on two instances (integration, PostgreSQL)', () => {
  let db: ScratchDatabase;
  let stub: TwilioStub;
  let first: INestApplication;
  let second: INestApplication;
  const clock = new MovableClock();

  beforeAll(async () => {
    db = await createScratchPostgres('dispatcher');
    stub = await startTwilioStub();
    const env = twilioStubEnv(stub, {
      DATABASE_URL: db.url,
      QUIET_HOURS: '21:00-08:00',
      DEFAULT_TIMEZONE: 'America/New_York',
      // Small batches, so both instances come back for more while the other is sending.
      DISPATCH_BATCH_SIZE: '7',
    });
    const options: TestAppOptions = {
      env,
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    };
    first = await createTestApp(options);
    second = await createTestApp(options);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await stub?.close();
    await db?.drop();
  });

  it(`sends ${TEXTS} due texts once each, however the instances interleave`, async () => {
    const numbers = Array.from({ length: TEXTS }, (_, i) => `+1202555${3000 + i}`);
    for (const [i, phone] of numbers.entries()) {
      const res = await request((i % 2 ? first : second).getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: phone, message: `Tomorrow morning (${i}).` })
        .expect(201);
      expect(res.body.status).toBe('scheduled');
    }
    expect(stub.creates).toBe(0);

    clock.current = new Date('2026-11-26T13:00:00Z');
    stub.respondWith({ type: 'message', delayMs: 5 });
    const polls: DispatchResult[] = [];
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        [first, second, first, second].map((app) => app.get(DispatcherService).dispatchDue()),
      );
      polls.push(...results);
      if (results.every((r) => r.claimed === 0)) break;
    }

    expect(stub.creates).toBe(TEXTS);
    const recipients = stub.requests.filter((r) => r.method === 'POST').map((r) => r.form.To);
    expect(new Set(recipients).size).toBe(TEXTS);
    expect(polls.reduce((sum, r) => sum + r.sent, 0)).toBe(TEXTS);
  });
});
