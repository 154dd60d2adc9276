import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { Clock } from '../src/common/clock.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { ReconciliationService } from '../src/messages/reconciliation.service.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const PATIENT = '+12025550143';

const send = (app: INestApplication, body: object, headers: Record<string, string> = {}) => {
  let req = request(app.getHttpServer()).post('/api/sms/send').set('X-API-Key', TEST_API_KEY);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req.send({ phone_number: PATIENT, ...body });
};

const rows = (app: INestApplication) => app.get(DataSource).getRepository(MessageEntity);
const events = (app: INestApplication, messageId: string) =>
  app
    .get(DataSource)
    .getRepository(AuditEventEntity)
    .find({ where: { messageId }, order: { seq: 'ASC' } });

describe('exactly-once sends through the Twilio stub (e2e)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, {
        BREAKER_MIN_CALLS: '1000',
        TWILIO_RETRY_BASE_MS: '10',
        TWILIO_RETRY_CAP_MS: '20',
      }),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  describe('Idempotency-Key', () => {
    it('replays the stored answer for the same key and body, sending nothing', async () => {
      const first = await send(
        app,
        { message: 'Key replay' },
        { 'Idempotency-Key': 'key-replay-1' },
      ).expect(201);
      const again = await send(
        app,
        { message: 'Key replay' },
        { 'Idempotency-Key': 'key-replay-1' },
      ).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(stub.creates).toBe(1);
      const trail = await events(app, first.body.message_id);
      expect(trail.map((e) => e.action)).toEqual([
        'sms.requested',
        'sms.sent',
        'sms.duplicate_replayed',
      ]);
    });

    it('sends once for 50 concurrent identical requests with one key', async () => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          send(app, { message: 'Fifty at once' }, { 'Idempotency-Key': 'key-concurrent-50' }),
        ),
      );
      expect(stub.creates).toBe(1);
      const created = answers.filter((a) => a.status === 201 && !a.headers['idempotent-replayed']);
      const replayed = answers.filter(
        (a) => a.status === 201 && a.headers['idempotent-replayed'] === 'true',
      );
      const inFlight = answers.filter((a) => a.status === 409);
      expect(created).toHaveLength(1);
      expect(replayed.length + inFlight.length).toBe(49);
      for (const a of inFlight) expect(a.body.error.code).toBe('IDEMPOTENCY_IN_FLIGHT');
      expect(await rows(app).countBy({ idempotencyKey: 'key-concurrent-50' })).toBe(1);
    });

    it('refuses the same key with a different body with 422, sending nothing more', async () => {
      await send(app, { message: 'Original body' }, { 'Idempotency-Key': 'key-changed' }).expect(
        201,
      );
      const res = await send(
        app,
        { message: 'Changed body' },
        { 'Idempotency-Key': 'key-changed' },
      ).expect(422);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(stub.creates).toBe(1);
    });

    it('scopes keys to the API key', async () => {
      await send(app, { message: 'Scoped key' }, { 'Idempotency-Key': 'key-scoped' }).expect(201);
      await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_ADMIN_KEY)
        .set('Idempotency-Key', 'key-scoped')
        .send({ phone_number: PATIENT, message: 'Scoped key' })
        .expect(201);
      expect(stub.creates).toBe(2);
    });

    it('refuses a malformed key', async () => {
      await send(app, { message: 'Bad key' }, { 'Idempotency-Key': 'has spaces in it' }).expect(
        400,
      );
      expect(stub.creates).toBe(0);
    });
  });

  describe('automatic duplicate window', () => {
    it('answers a repeat of the same text to the same number with the first result', async () => {
      const first = await send(app, { message: 'Dedupe me' }).expect(201);
      const again = await send(app, { message: 'Dedupe me' }).expect(201);
      expect(again.body).toMatchObject({
        message_id: first.body.message_id,
        provider_sid: first.body.provider_sid,
        duplicate: true,
        agent_message: expect.stringMatching(/already texted/),
      });
      expect(stub.creates).toBe(1);
    });

    it('sends a different text, or the same text in another conversation', async () => {
      await send(app, { message: 'Window A' }).expect(201);
      await send(app, { message: 'Window B' }).expect(201);
      await send(app, { message: 'Window A', conversation_id: 'conv_other' }).expect(201);
      expect(stub.creates).toBe(3);
    });

    it('lets a request whose first attempt failed try again', async () => {
      stub.respondWith({ type: 'error', status: 400, code: 21612 });
      await send(app, { message: 'Retry after failure' }).expect(422);
      stub.respondWith({ type: 'message' });
      const res = await send(app, { message: 'Retry after failure' }).expect(201);
      expect(res.body.duplicate).toBeUndefined();
      expect(stub.creates).toBe(2);
    });
  });

  describe('outcomes that may have reached Twilio', () => {
    it('settles a create that was accepted but never answered as unknown, and never creates again', async () => {
      stub.respondWith({ type: 'destroy-socket' });
      const res = await send(app, { message: 'Socket reset after sending' }).expect(502);
      expect(res.body.error).toMatchObject({ code: 'DELIVERY_UNKNOWN', retryable: false });
      expect(stub.creates).toBe(1);

      stub.respondWith({ type: 'message' });
      const again = await send(app, { message: 'Socket reset after sending' }).expect(502);
      expect(again.body).toMatchObject({
        duplicate: true,
        agent_message: expect.stringMatching(/couldn't confirm/),
      });
      expect(stub.creates).toBe(1);

      const [row] = await rows(app).findBy({ errorCode: 'DELIVERY_UNKNOWN' });
      expect(row.status).toBe('unknown');
      const trail = await events(app, row.id);
      expect(trail.map((e) => e.action)).toEqual([
        'sms.requested',
        'sms.unknown',
        'sms.duplicate_replayed',
      ]);
    });

    it('does not retry a 5xx answer', async () => {
      stub.respondWith({ type: 'error', status: 503, code: 20500 });
      await send(app, { message: 'Twilio 503' }).expect(502);
      expect(stub.creates).toBe(1);
    });
  });

  describe('answers that certainly did not send', () => {
    it('retries a 429 and sends once', async () => {
      let calls = 0;
      stub.respondWith(() =>
        ++calls === 1 ? { type: 'error', status: 429, code: 20429 } : { type: 'message' },
      );
      const res = await send(app, { message: 'After a 429' }).expect(201);
      expect(stub.creates).toBe(2);
      expect(res.body.provider_sid).toBe(stub.requests[1].response?.body.sid);
    });

    it('gives up after the configured attempts', async () => {
      stub.respondWith({ type: 'error', status: 429, code: 20429 });
      const res = await send(app, { message: 'Always 429' }).expect(503);
      expect(res.body.error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true });
      expect(stub.creates).toBe(3);
    });
  });
});

describe('circuit breaker (e2e)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, {
        BREAKER_MIN_CALLS: '3',
        BREAKER_ERROR_PERCENT: '50',
        BREAKER_RESET_MS: '300',
      }),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  it('opens when Twilio keeps failing, stops calling it, then recovers by itself', async () => {
    stub.respondWith({ type: 'error', status: 500 });
    for (let i = 0; i < 3; i++) await send(app, { message: `Outage ${i}` }).expect(502);
    const createsWhenOpened = stub.creates;

    for (let i = 0; i < 5; i++) {
      const res = await send(app, { message: `While open ${i}` }).expect(503);
      expect(res.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    }
    // Failing fast: no request reached Twilio while the breaker was open.
    expect(stub.creates).toBe(createsWhenOpened);

    stub.respondWith({ type: 'message' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await send(app, { message: 'After recovery' }).expect(201);
    await send(app, { message: 'After recovery 2' }).expect(201);
  });
});

describeWithPostgres('exactly-once across two instances on PostgreSQL (e2e)', () => {
  let db: ScratchDatabase;
  let stub: TwilioStub;
  let first: INestApplication;
  let second: INestApplication;
  beforeAll(async () => {
    db = await createScratchPostgres('exactly_once');
    stub = await startTwilioStub();
    const env = twilioStubEnv(stub, { DATABASE_URL: db.url });
    first = await createTestApp({ env });
    second = await createTestApp({ env });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await stub.close();
    await db.drop();
  });

  it('sends once for 50 concurrent requests with one key split across both instances', async () => {
    stub.respondWith({ type: 'message', delayMs: 50 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(
          i % 2 ? first : second,
          { message: 'Two instances' },
          { 'Idempotency-Key': 'key-two-instances' },
        ),
      ),
    );
    expect(stub.creates).toBe(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(
      answers.filter((a) => a.status === 201 && !a.headers['idempotent-replayed']),
    ).toHaveLength(1);
  });

  it('sends once for concurrent duplicates without a key', async () => {
    stub.reset();
    stub.respondWith({ type: 'message', delayMs: 50 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(i % 2 ? first : second, { message: 'Dedupe across instances' }),
      ),
    );
    expect(stub.creates).toBe(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
  });
});

describe('reconciling sends whose answer never came (e2e)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  const clock = new (class extends Clock {
    aheadMs = 0;
    override now(): Date {
      return new Date(Date.now() + this.aheadMs);
    }
  })();
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, { RECONCILE_INTERVAL_MS: '0' }),
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  it('finds a send Twilio took by its text, settles it, and never sends it again', async () => {
    stub.respondWith({ type: 'destroy-socket' });
    const res = await send(app, { message: 'Lost answer, kept message' }).expect(502);
    expect(res.body.error.code).toBe('DELIVERY_UNKNOWN');
    const [row] = await rows(app).findBy({ status: 'unknown' });

    clock.aheadMs = 2 * 60_000;
    const result = await app.get(ReconciliationService).reconcile();
    expect(result.settled).toBe(1);
    const settled = await rows(app).findOneByOrFail({ id: row.id });
    expect(settled.status).toBe('sent');
    expect(settled.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(stub.creates).toBe(1);
    expect((await events(app, row.id)).map((e) => e.action)).toEqual([
      'sms.requested',
      'sms.unknown',
      'sms.reconciled',
    ]);
  });

  it('settles a send Twilio never took as failed once it is clearly gone', async () => {
    stub.reset();
    stub.respondWith({ type: 'error', status: 500 });
    await send(app, { message: 'Never reached Twilio' }).expect(502);
    const [row] = await rows(app).findBy({ status: 'unknown' });

    clock.aheadMs = 2 * 60_000;
    await app.get(ReconciliationService).reconcile();
    expect((await rows(app).findOneByOrFail({ id: row.id })).status).toBe('unknown');

    clock.aheadMs = 11 * 60_000;
    await app.get(ReconciliationService).reconcile();
    expect(await rows(app).findOneByOrFail({ id: row.id })).toMatchObject({
      status: 'failed',
      errorCode: 'NOT_FOUND_AT_PROVIDER',
    });
  });
});
