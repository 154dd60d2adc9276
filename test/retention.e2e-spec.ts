import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AuditEventDto } from '../src/audit/dto/audit-event.dto.js';
import { Clock } from '../src/common/clock.js';
import { RetentionService, type RetentionRun } from '../src/retention/retention.service.js';
import { RETENTION_CHECK_MS } from '../src/retention/retention.worker.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const DAY_MS = 86_400_000;

class MovableClock extends Clock {
  current = new Date();
  override now(): Date {
    return new Date(this.current);
  }
}

/**
 * The worker in the whole app: on its timer, by the injected clock, it purges a text past
 * MESSAGES_RETENTION_DAYS (gone from the API too) and the audit trail says who did it.
 */
describe('retention worker (e2e, SQLite)', () => {
  let app: INestApplication;
  const clock = new MovableClock();
  const booted = clock.current;
  let runs: Promise<RetentionRun | null>[];

  beforeAll(async () => {
    // Only the timers: the database, the unit of work and supertest run on real ones.
    jest.useFakeTimers({ doNotFake: ['Date', 'setImmediate', 'setTimeout', 'nextTick'] });
    app = await createTestApp({
      env: { RETENTION_INTERVAL_MINUTES: '60', RECONCILE_INTERVAL_MS: '0' },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
    const retention = app.get(RetentionService);
    const purgeAll = retention.purgeAll.bind(retention);
    runs = [];
    jest.spyOn(retention, 'purgeAll').mockImplementation((now, by) => {
      const run = purgeAll(now, by);
      runs.push(run);
      return run;
    });
  });
  afterAll(async () => {
    await app.close();
    jest.useRealTimers();
  });

  const http = () => request(app.getHttpServer());
  const send = async (phone: string) =>
    (
      await http()
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: phone, message: 'Your lab results are ready.' })
        .expect(201)
    ).body.message_id as string;
  const status = (id: string) =>
    http().get(`/api/sms/messages/${id}`).set('X-API-Key', TEST_API_KEY);
  const purgeEvents = async () =>
    (
      await http()
        .get('/api/audit/events')
        .query({ action: 'data.purged' })
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200)
    ).body.events as AuditEventDto[];

  it('purges on its schedule, as the worker, what is past retention and nothing younger', async () => {
    const old = await send('+12025550143');
    const young = await send('+12025550144');
    const longAgo = new Date(booted.getTime() - 366 * DAY_MS);
    await app
      .get(DataSource)
      .getRepository(MessageEntity)
      .update({ id: old }, { createdAt: longAgo, updatedAt: longAgo });

    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS - 1);
    expect(runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    await runs[0];

    await status(old).expect(404);
    await status(young).expect(200);
    const [messages] = (await purgeEvents()).filter((e) => e.details?.table === 'messages');
    expect(messages).toMatchObject({
      actor: 'retention-worker',
      details: {
        count: 1,
        cutoff: new Date(booted.getTime() - 365 * DAY_MS).toISOString(),
        trigger: 'schedule',
      },
    });
  });

  it('runs again only when the clock says the interval has passed', async () => {
    clock.current = new Date(booted.getTime() + 59 * 60_000);
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS);
    expect(runs).toHaveLength(1);

    clock.current = new Date(booted.getTime() + 60 * 60_000);
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS);
    expect(runs).toHaveLength(2);
    await expect(runs[1]).resolves.toMatchObject({ at: clock.current.toISOString() });
  });
});
