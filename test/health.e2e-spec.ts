import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

describe('health checks (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('answers liveness without a key', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready with the database up, no Redis configured and the sandbox transport', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up', configured: false },
      transport: { status: 'up', name: 'sandbox', breaker: 'closed' },
    });
  });

  it('is not ready once the database is gone, and says which check failed', async () => {
    await app.get(DataSource).destroy();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.database.status).toBe('down');
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });
});

describe('readiness while the provider keeps failing (e2e, Twilio stub)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, {
        BREAKER_MIN_CALLS: '2',
        BREAKER_ERROR_PERCENT: '50',
        BREAKER_RESET_MS: '60000',
      }),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  it('says the transport is down, with its breaker open, once sends cannot succeed', async () => {
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.details.transport).toEqual({
      status: 'up',
      name: 'twilio',
      breaker: 'closed',
    });

    stub.respondWith({ type: 'error', status: 500 });
    for (let i = 0; i < 2; i++) {
      await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: '+12025550143', message: `Outage ${i}` })
        .expect(502);
    }
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.error.transport).toEqual({ status: 'down', name: 'twilio', breaker: 'open' });
  });
});

describe('readiness when Redis is down (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => app.close());

  it('answers 503 naming redis, within a couple of seconds', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.error.redis.status).toBe('down');
  });
});

describeWithPostgres('readiness on PostgreSQL (e2e)', () => {
  let db: ScratchDatabase;
  let app: INestApplication;
  beforeAll(async () => {
    db = await createScratchPostgres('health');
    app = await createTestApp({ env: { DATABASE_URL: db.url } });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('goes 503 when PostgreSQL stops answering for this database', async () => {
    await request(app.getHttpServer()).get('/health/ready').expect(200);
    // Dropping the database (FORCE ends its sessions) is PostgreSQL going away for this service.
    await db.drop();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.error.database.status).toBe('down');
  });
});
