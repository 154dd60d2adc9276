import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import { Clock } from '../src/common/clock.js';
import { EventDeliveryWorker } from '../src/events/event-delivery.worker.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { startEventReceiver, type EventReceiver } from './support/event-receiver.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

// A test secret (whsec_ and base64 of 24 bytes), as a clinic would be given.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PATIENT = '+12025550143';
const TEXT = 'Your copay card is ready at the front desk';

class MovableClock extends Clock {
  current = new Date();
  override now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

describe('events out, signed and durable (e2e, SQLite, sandbox)', () => {
  let receiver: EventReceiver;
  let app: INestApplication;
  const clock = new MovableClock();
  const http = () => request(app.getHttpServer());
  const worker = () => app.get(EventDeliveryWorker);

  const boot = (env: Record<string, string | undefined> = {}) =>
    createTestApp({
      env: {
        EVENTS_WEBHOOK_URL: receiver.url,
        EVENTS_WEBHOOK_SECRET: SECRET,
        EVENTS_RETRY_BASE_MS: '1000',
        EVENTS_MAX_AGE_HOURS: '1',
        ...env,
      },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });

  const send = (message = TEXT) =>
    http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: PATIENT, message, conversation_id: 'conv_events' })
      .expect(201);

  const events = async (status?: string) =>
    (
      await http()
        .get('/api/events')
        .query(status ? { status } : {})
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200)
    ).body.data as Array<{ id: string; type: string; status: string; last_error: string | null }>;

  beforeAll(async () => {
    receiver = await startEventReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    clock.current = new Date();
    receiver.received.length = 0;
    receiver.mode = 'ok';
    app = await boot();
  });
  afterEach(() => app.close());

  it('delivers message.sent signed as Standard Webhooks, verified by the library, without the text or the number', async () => {
    const sent = await send();
    expect(await worker().deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const verified = new Webhook(SECRET).verify(
      delivery.body,
      delivery.headers as Record<string, string>,
    ) as { type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({
      type: 'message.sent',
      data: {
        message_id: sent.body.message_id,
        tool: 'send_sms',
        conversation_id: 'conv_events',
        to: '***-***-0143',
      },
    });
    expect(delivery.body).not.toContain(TEXT);
    expect(delivery.body).not.toContain(PATIENT.slice(1));
    // A body signed with another secret is refused by the same library.
    expect(() =>
      new Webhook('whsec_' + Buffer.alloc(24, 7).toString('base64')).verify(
        delivery.body,
        delivery.headers as Record<string, string>,
      ),
    ).toThrow();

    const [listed] = await events('delivered');
    expect(listed).toMatchObject({ id: delivery.headers['webhook-id'], type: 'message.sent' });
  });

  it('keeps an event while the endpoint is down and delivers it, under the same id, once it is back', async () => {
    receiver.mode = 'down';
    await send();
    expect(await worker().deliverDue()).toMatchObject({ claimed: 1, retry: 1 });
    const [waiting] = await events('pending');
    expect(waiting.last_error).toBeTruthy();

    // Not due before its backoff has passed.
    receiver.mode = 'ok';
    expect(await worker().deliverDue()).toMatchObject({ claimed: 0 });
    clock.advance(1000);
    expect(await worker().deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([waiting.id]);
  });

  it('dead-letters an event after its retry window, shows it to an admin only, and redelivers it on request', async () => {
    receiver.mode = 'failing';
    await send();
    expect(await worker().deliverDue()).toMatchObject({ retry: 1 });
    clock.advance(2 * 3_600_000);
    expect(await worker().deliverDue()).toMatchObject({ dead: 1 });
    const [dead] = await events('dead');
    expect(dead).toMatchObject({ type: 'message.sent', last_error: 'HTTP 503' });
    expect(await worker().deliverDue()).toMatchObject({ claimed: 0 });

    await http().get('/api/events').set('X-API-Key', TEST_API_KEY).expect(403);
    await http()
      .post(`/api/events/${dead.id}/redeliver`)
      .set('X-API-Key', TEST_API_KEY)
      .send({})
      .expect(403);

    const redelivered = await http()
      .post(`/api/events/${dead.id}/redeliver`)
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({})
      .expect(200);
    expect(redelivered.body).toMatchObject({ id: dead.id, status: 'pending' });
    const again = await http()
      .post(`/api/events/${dead.id}/redeliver`)
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({})
      .expect(409);
    expect(again.body).toMatchObject({ success: false, error: { code: 'EVENT_NOT_DEAD' } });
    expect(again.body.agent_message).toEqual(expect.any(String));
    await http()
      .post('/api/events/msg_unknown/redeliver')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({})
      .expect(404);

    receiver.mode = 'ok';
    receiver.received.length = 0;
    expect(await worker().deliverDue()).toMatchObject({ delivered: 1 });
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([dead.id]);

    const audit = await app.get(AuditLogService).query({ action: 'event.redelivered' });
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({ actor: 'ops', details: { event_id: dead.id } });
    const metrics = await app
      .get(MetricsService)
      .registry.getSingleMetricAsString('events_delivery_attempts_total');
    expect(metrics).toContain('events_delivery_attempts_total{outcome="dead"} 1');
  });

  it('sends consent changes: an opt-out recorded by an admin is consent.opted_out', async () => {
    await http()
      .post('/api/consent')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({ phone_number: PATIENT, state: 'opted_out', reason: 'asked on the phone' })
      .expect(201);
    await worker().deliverDue();
    const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types).toEqual(['consent.opted_out']);
    expect(receiver.received[0].body).not.toContain(PATIENT.slice(1));
  });

  it('writes nothing without an endpoint', async () => {
    await app.close();
    app = await boot({ EVENTS_WEBHOOK_URL: undefined, EVENTS_WEBHOOK_SECRET: undefined });
    await send();
    expect(await events()).toEqual([]);
    expect(await worker().deliverDue()).toMatchObject({ claimed: 0 });
  });

  it('loses nothing when the instance stops after the commit and before the delivery', async () => {
    await app.close();
    const dir = mkdtempSync(join(tmpdir(), 'events-'));
    try {
      const file = join(dir, 'gateway.db');
      app = await boot({ SQLITE_PATH: file });
      const sent = await send();
      await app.close();
      expect(receiver.received).toHaveLength(0);

      app = await boot({ SQLITE_PATH: file });
      expect(await worker().deliverDue()).toMatchObject({ delivered: 1 });
      expect(JSON.parse(receiver.received[0].body)).toMatchObject({
        type: 'message.sent',
        data: { message_id: sent.body.message_id },
      });
    } finally {
      await app.close();
      app = await boot();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
