import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { createScratchPostgres, type ScratchDatabase } from './support/databases.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** Where the limits live: this process, or Redis when the machine has one. */
const STORES: [string, Record<string, string | undefined>][] = [
  ['in process', { REDIS_URL: undefined }],
  ...(process.env.REDIS_URL
    ? [['Redis', { REDIS_URL: process.env.REDIS_URL }] as [string, Record<string, string>]]
    : []),
];

describe.each(STORES)('limits count texts, not requests (e2e, limits %s)', (_, storeEnv) => {
  let stub: TwilioStub;
  let app: INestApplication;
  let n = 0;
  /** A number of its own for each case, so the cases do not share a recipient's limits. */
  const patient = () => `+1202555${String(1000 + ++n).slice(-4)}`;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, {
        ...storeEnv,
        REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
        RATE_LIMIT_PER_RECIPIENT_10MIN: '3',
        RATE_LIMIT_PER_CONVERSATION: '3',
        LINK_ALLOWED_HOSTS: 'copay.example.com',
      }),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  const send = (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    let req = request(app.getHttpServer()).post('/api/sms/send').set('X-API-Key', TEST_API_KEY);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req.send(body);
  };

  it('spends nothing on duplicates of a text: the next three different texts still go out', async () => {
    const to = patient();
    await send({ phone_number: to, message: 'Your results are ready.' }).expect(201);
    for (let i = 0; i < 4; i++) {
      const again = await send({ phone_number: to, message: 'Your results are ready.' });
      expect(again.status).toBe(201);
      expect(again.body.duplicate).toBe(true);
    }
    await send({ phone_number: to, message: 'Second text.' }).expect(201);
    await send({ phone_number: to, message: 'Third text.' }).expect(201);
    const fourth = await send({ phone_number: to, message: 'Fourth text.' });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.details.limit).toBe('per-recipient-10min');
    expect(stub.creates).toBeGreaterThanOrEqual(3);
  });

  it('spends nothing on refused requests: five foreign links, then the patient still gets texts', async () => {
    const to = patient();
    const before = stub.creates;
    for (let i = 0; i < 5; i++) {
      const res = await send({ phone_number: to, message: `See https://evil.example.net/${i}` });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('LINK_NOT_ALLOWED');
    }
    expect(stub.creates).toBe(before);
    for (let i = 0; i < 3; i++) {
      await send({ phone_number: to, message: `Allowed text ${i}` }).expect(201);
    }
    expect(stub.creates).toBe(before + 3);
  });

  it('50 concurrent requests with one Idempotency-Key: one provider call, only replays or 409s', async () => {
    const to = patient();
    const key = `key-${randomBytes(4).toString('hex')}`;
    const body = { phone_number: to, message: 'Your copay card is ready.' };
    const before = stub.creates;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => send(body, { 'Idempotency-Key': key })),
    );
    expect(stub.creates - before).toBe(1);
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    const replayed = answers.filter((res) => res.headers['idempotent-replayed'] === 'true');
    expect(replayed.length).toBe(statuses.filter((s) => s === 201).length - 1);

    const other = await send({ ...body, message: 'Another text.' }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // One text was accepted, so two of the three remain for this patient.
    await send({ phone_number: to, message: 'A different text.' }).expect(201);
    await send({ phone_number: to, message: 'And one more.' }).expect(201);
    expect((await send({ phone_number: to, message: 'Too many.' })).status).toBe(429);
  });

  it('counts a conversation by its accepted texts only', async () => {
    const conversation_id = `conv_${randomBytes(4).toString('hex')}`;
    // Two numbers, so the per-recipient limit (also 3) is not the one reached.
    const [to, other] = [patient(), patient()];
    await send({ phone_number: to, conversation_id, message: 'One.' }).expect(201);
    await send({ phone_number: to, conversation_id, message: 'One.' }).expect(201);
    await send({ phone_number: to, conversation_id, message: 'https://evil.example.net' }).expect(
      422,
    );
    await send({ phone_number: other, conversation_id, message: 'Two.' }).expect(201);
    await send({ phone_number: to, conversation_id, message: 'Three.' }).expect(201);
    const res = await send({ phone_number: other, conversation_id, message: 'Four.' });
    expect(res.status).toBe(429);
    expect(res.body.error.details.limit).toBe('per-conversation');
  });

  it.each(['12', '12345', 'call me', '+1 (202) 555'])(
    'refuses the unreadable number %j with 400 INVALID_PHONE_NUMBER',
    async (phone) => {
      const res = await send({ phone_number: phone, message: 'Hello.' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'INVALID_PHONE_NUMBER', retryable: false },
        agent_message:
          "That phone number doesn't look right. Could you say it again, digit by digit?",
      });
    },
  );

  it('records each refusal once in the audit log', async () => {
    const to = patient();
    const res = await send({ phone_number: to, message: 'https://evil.example.net/x' });
    expect(res.status).toBe(422);
    const events = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ requestId: res.body.request_id });
    expect(events.map((e) => e.action)).toEqual(['sms.rejected']);
    expect(JSON.parse(events[0].details ?? '{}')).toMatchObject({
      code: 'LINK_NOT_ALLOWED',
      platform: 'rest',
      tool: 'send_sms',
    });
  });
});

describe('keys that reach an object prototype (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a body with a %s key like any unknown field',
    async (key) => {
      const res = await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .set('Content-Type', 'application/json')
        .send(`{"phone_number":"+12025550143","message":"Hi","${key}":{"isAdmin":true}}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain(`property ${key} should not exist`);
    },
  );
});

const describeWithPostgresAndRedis =
  process.env.DATABASE_URL && process.env.REDIS_URL ? describe : describe.skip;

describeWithPostgresAndRedis(
  'limits count texts across two instances (e2e, PostgreSQL + Redis)',
  () => {
    let db: ScratchDatabase;
    let stub: TwilioStub;
    let first: INestApplication;
    let second: INestApplication;
    beforeAll(async () => {
      db = await createScratchPostgres('text_limits');
      stub = await startTwilioStub();
      const env = twilioStubEnv(stub, {
        DATABASE_URL: db.url,
        REDIS_URL: String(process.env.REDIS_URL),
        REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
        RATE_LIMIT_PER_RECIPIENT_10MIN: '3',
      });
      first = await createTestApp({ env });
      second = await createTestApp({ env });
    });
    afterAll(async () => {
      await first.close();
      await second.close();
      await stub.close();
      await db.drop();
    });

    const send = (
      app: INestApplication,
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) => {
      let req = request(app.getHttpServer()).post('/api/sms/send').set('X-API-Key', TEST_API_KEY);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      return req.send(body);
    };

    it('one key split across both instances: one provider call, one text counted', async () => {
      const to = '+12025550188';
      stub.respondWith({ type: 'message', delayMs: 50 });
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          send(
            i % 2 ? first : second,
            { phone_number: to, message: 'Shared key.' },
            {
              'Idempotency-Key': 'key-text-limits-two-instances',
            },
          ),
        ),
      );
      expect(stub.creates).toBe(1);
      expect(answers.map((res) => res.status).filter((s) => s !== 201 && s !== 409)).toEqual([]);
      stub.respondWith({ type: 'message' });
      await send(first, { phone_number: to, message: 'Second text.' }).expect(201);
      await send(second, { phone_number: to, message: 'Third text.' }).expect(201);
      const fourth = await send(first, { phone_number: to, message: 'Fourth text.' });
      expect(fourth.status).toBe(429);
      expect(fourth.body.error.details.limit).toBe('per-recipient-10min');
    });
  },
);
