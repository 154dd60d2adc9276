import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';

const SEND = { phone_number: '+12025550143', message: 'Your refill is ready.' };

/** The database goes away for good: SQLite closed under the running app. */
const loseDatabase = (app: INestApplication) => app.get(DataSource).destroy();

describe('the database is unavailable (e2e, SQLite)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
    await loseDatabase(app);
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('answers a send with 503 DATABASE_UNAVAILABLE, Retry-After and an agent sentence', async () => {
    const res = await http().post('/api/sms/send').set('X-API-Key', TEST_API_KEY).send(SEND);
    expect(res.status).toBe(503);
    expectErrorContract(res.body, 'DATABASE_UNAVAILABLE');
    expect(res.body.error.retryable).toBe(true);
    expect(res.body.error.error_id).toBeUndefined();
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.agent_message).toMatch(/try again/);
  });

  it('answers reads and admin writes the same way', async () => {
    const status = await http()
      .get('/api/sms/messages/6f1c2b9e-8a3d-4c5e-9f70-1a2b3c4d5e6f')
      .set('X-API-Key', TEST_API_KEY);
    expect(status.status).toBe(503);
    expectErrorContract(status.body, 'DATABASE_UNAVAILABLE');
    const consent = await http()
      .post('/api/consent')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({ phone_number: '+12025550143', state: 'opted_out', reason: 'Asked on the call' });
    expect(consent.status).toBe(503);
    expectErrorContract(consent.body, 'DATABASE_UNAVAILABLE');
  });

  it('still refuses bad input with its own 4xx, not a 503', async () => {
    const res = await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: 'not a number', message: 'Hi' })
      .expect(400);
    expectErrorContract(res.body);
  });
});

describe('the database goes away while Twilio has the text (e2e, SQLite)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  beforeEach(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: {
        TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
        TWILIO_AUTH_TOKEN: 'outage-test-auth-token',
        TWILIO_PHONE_NUMBER: '+12025550100',
        TWILIO_API_BASE_URL: stub.baseUrl,
      },
    });
  });
  afterEach(async () => {
    await app.close();
    await stub.close();
  });

  /** Sends, and loses the database once the create has reached Twilio. */
  async function sendLosingDatabaseMidway() {
    const answer = request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send(SEND)
      .then((res) => res);
    while (stub.creates === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await loseDatabase(app);
    return answer;
  }

  it('keeps AUDIT_WRITE_FAILED (not retryable) when Twilio accepted the text', async () => {
    stub.respondWith({ type: 'message', delayMs: 200 });
    const res = await sendLosingDatabaseMidway();
    expect(res.status).toBe(503);
    expectErrorContract(res.body, 'AUDIT_WRITE_FAILED');
    expect(res.body.error.retryable).toBe(false);
    expect(stub.creates).toBe(1);
  });

  it('keeps DELIVERY_UNKNOWN (not retryable) when the answer from Twilio was lost', async () => {
    stub.respondWith({ type: 'destroy-socket', delayMs: 200 });
    const res = await sendLosingDatabaseMidway();
    expect(res.status).toBe(502);
    expectErrorContract(res.body, 'DELIVERY_UNKNOWN');
    expect(res.body.error.retryable).toBe(false);
  });
});
