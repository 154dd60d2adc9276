import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { createTestApp, TEST_API_KEY, TEST_ADMIN_KEY } from './support/test-app.js';

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

/** Every limit high except the ones a case lowers, so each case sees one limit only. */
const withLimits = (limits: Record<string, string>) => ({ env: { ...limits } });

let texts = 0;
/** Each call a new text: the same text again would be a duplicate, which spends no limit. */
const send = (app: INestApplication, body: Record<string, unknown>, key = TEST_API_KEY) =>
  request(app.getHttpServer())
    .post('/api/sms/send')
    .set('X-API-Key', key)
    .send({ message: `Hi, this is text ${++texts}`, ...body });

function expectRateLimited(res: request.Response, limit: string): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({
    success: false,
    error: { code: 'RATE_LIMITED', retryable: true, details: { limit } },
    agent_message: expect.any(String),
  });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describe('rate limits (e2e, in memory)', () => {
  describe('per API key', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(withLimits({ RATE_LIMIT_PER_KEY: '3' }));
    });
    afterAll(() => app.close());

    it('refuses the fourth request of a key in the window, and not another key', async () => {
      for (let i = 0; i < 3; i++) await send(app, { phone_number: `+1202555010${i}` }).expect(201);
      expectRateLimited(await send(app, { phone_number: '+12025550109' }), 'per-key');
      await send(app, { phone_number: '+12025550109' }, TEST_ADMIN_KEY).expect(201);
    });
  });

  describe('per recipient', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(withLimits({ RATE_LIMIT_PER_RECIPIENT_10MIN: '2' }));
    });
    afterAll(() => app.close());

    it('counts one number across tools and spellings, and leaves other numbers alone', async () => {
      await send(app, { phone_number: '+12025550143' }).expect(201);
      await request(app.getHttpServer())
        .post('/api/sms/send-prior-auth-update')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: '(202) 555-0143', patient_name: 'Jane', status: 'pending' })
        .expect(201);
      expectRateLimited(await send(app, { phone_number: '202-555-0143' }), 'per-recipient-10min');
      await send(app, { phone_number: '+12025550144' }).expect(201);
    });

    it('does not count requests whose number cannot be read (they get a 400)', async () => {
      for (let i = 0; i < 3; i++) await send(app, { phone_number: 'not a number' }).expect(400);
    });
  });

  describe('per conversation', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(
        withLimits({ RATE_LIMIT_PER_CONVERSATION: '3', RATE_LIMIT_CONVERSATION_RECIPIENTS: '2' }),
      );
    });
    afterAll(() => app.close());

    it('lets a conversation text at most two distinct numbers, repeats included', async () => {
      await send(app, { phone_number: '+12025550101', conversation_id: 'conv_a' }).expect(201);
      await send(app, { phone_number: '+12025550102', conversation_id: 'conv_a' }).expect(201);
      expectRateLimited(
        await send(app, { phone_number: '+12025550103', conversation_id: 'conv_a' }),
        'conversation-recipients',
      );
      await send(app, { phone_number: '+12025550103', conversation_id: 'conv_b' }).expect(201);
    });

    it('caps the sends of one conversation', async () => {
      for (let i = 0; i < 3; i++) {
        await send(app, { phone_number: '+12025550111', conversation_id: 'conv_c' }).expect(201);
      }
      expectRateLimited(
        await send(app, { phone_number: '+12025550111', conversation_id: 'conv_c' }),
        'per-conversation',
      );
    });
  });

  describe('failed authentication per client IP', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(withLimits({ RATE_LIMIT_AUTH_FAILURES_PER_IP: '3' }));
    });
    afterAll(() => app.close());

    it('answers 401 three times, then 429', async () => {
      for (let i = 0; i < 3; i++) {
        await send(
          app,
          { phone_number: '+12025550143' },
          `wrong-key-${i}-xxxxxxxxxxxxxxxxxxxx`,
        ).expect(401);
      }
      expectRateLimited(
        await send(app, { phone_number: '+12025550143' }, 'wrong-key-xxxxxxxxxxxxxxxxxxxxxx'),
        'auth-failures',
      );
    });
  });

  describe('service-wide daily cap', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp(withLimits({ DAILY_SEND_CAP: '2' }));
    });
    afterAll(() => app.close());

    it('stops every key and number once the day is used up', async () => {
      await send(app, { phone_number: '+12025550121' }).expect(201);
      await send(app, { phone_number: '+12025550122' }, TEST_ADMIN_KEY).expect(201);
      expectRateLimited(
        await send(app, { phone_number: '+12025550123' }, TEST_ADMIN_KEY),
        'daily-send-cap',
      );
    });

    it('does not count reads against the send cap', async () => {
      // A fresh day's cap; reads pass the same edge guard as sends (the per-key limit).
      const fresh = await createTestApp(withLimits({ DAILY_SEND_CAP: '2' }));
      try {
        const id = '00000000-0000-4000-8000-000000000000';
        for (let i = 0; i < 5; i++) {
          await request(fresh.getHttpServer())
            .get(`/api/sms/messages/${id}`)
            .set('X-API-Key', TEST_API_KEY)
            .expect(404);
        }
        await send(fresh, { phone_number: '+12025550124' }).expect(201);
        await send(fresh, { phone_number: '+12025550125' }).expect(201);
        expectRateLimited(await send(fresh, { phone_number: '+12025550126' }), 'daily-send-cap');
      } finally {
        await fresh.close();
      }
    });
  });
});

describe('rate limits when Redis is down (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    // Port 1 on loopback refuses connections: a Redis that is down.
    app = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => app.close());

  // Commands fail at once without a connection (no offline queue): no wait, no unthrottled send.
  it('fails closed with 503 and sends nothing', async () => {
    const res = await send(app, { phone_number: '+12025550143' });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'RATE_LIMITER_UNAVAILABLE', retryable: true });
    expect(res.headers['retry-after']).toBeDefined();
    expect(app.get<SandboxProvider>(SMS_PROVIDER).recent()).toEqual([]);
  });

  it('fails reads closed too: every authenticated request counts, and none can be counted', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/sandbox/outbox')
      .set('X-API-Key', TEST_API_KEY);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('RATE_LIMITER_UNAVAILABLE');
  });
});

describeWithRedis('rate limits shared through Redis by two instances (e2e)', () => {
  let first: INestApplication;
  let second: INestApplication;
  beforeAll(async () => {
    const env = {
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
      RATE_LIMIT_PER_RECIPIENT_10MIN: '2',
      RATE_LIMIT_CONVERSATION_RECIPIENTS: '2',
    };
    first = await createTestApp({ env });
    second = await createTestApp({ env });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('holds the per-recipient limit across instances', async () => {
    await send(first, { phone_number: '+12025550143' }).expect(201);
    await send(second, { phone_number: '+12025550143' }).expect(201);
    expectRateLimited(await send(first, { phone_number: '+12025550143' }), 'per-recipient-10min');
    expectRateLimited(await send(second, { phone_number: '+12025550143' }), 'per-recipient-10min');
  });

  it('holds the distinct-recipient limit of a conversation across instances', async () => {
    await send(first, { phone_number: '+12025550151', conversation_id: 'shared_conv' }).expect(201);
    await send(second, { phone_number: '+12025550152', conversation_id: 'shared_conv' }).expect(
      201,
    );
    await send(second, { phone_number: '+12025550151', conversation_id: 'shared_conv' }).expect(
      201,
    );
    expectRateLimited(
      await send(first, { phone_number: '+12025550153', conversation_id: 'shared_conv' }),
      'conversation-recipients',
    );
  });
});
