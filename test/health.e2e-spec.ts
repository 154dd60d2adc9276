import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp } from './support/test-app.js';

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
      transport: { status: 'up', name: 'sandbox' },
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
