import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { ConsentService } from '../src/consent/consent.service.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** Each outcome of a tool request leaves exactly these audit events, found by request id. */
describe('audit events for every send outcome (e2e)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: {
        ...twilioStubEnv(stub),
        RATE_LIMIT_PER_RECIPIENT_10MIN: '3',
        BREAKER_MIN_CALLS: '1000',
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  async function call(body: object, key: string | null = TEST_API_KEY) {
    const requestId = `audit-${randomUUID()}`;
    let req = request(app.getHttpServer()).post('/api/sms/send').set('X-Request-Id', requestId);
    if (key) req = req.set('X-API-Key', key);
    const res = await req.send(body);
    const events = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .find({ where: { requestId }, order: { seq: 'ASC' } });
    return { res, events, trail: events.map((e) => `${e.action}:${e.outcome}`) };
  }
  const details = (e: AuditEventEntity) => JSON.parse(e.details ?? '{}') as Record<string, unknown>;

  it('sent: requested, then sent, with the masked number, its hash and the body hash, never the text', async () => {
    const { res, events, trail } = await call({
      phone_number: '+12025550101',
      message: 'Secret lab text',
    });
    expect(res.status).toBe(201);
    expect(trail).toEqual(['sms.requested:success', 'sms.sent:success']);
    expect(events[0]).toMatchObject({
      actor: 'agent',
      messageId: res.body.message_id,
      recipientMasked: '***-***-0101',
      recipientHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(details(events[0]).body_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(events)).not.toMatch(/Secret lab text|2025550101/);
  });

  it('failed: requested, then failed with the code', async () => {
    stub.respondWith({ type: 'error', status: 400, code: 21612 });
    const { res, events, trail } = await call({
      phone_number: '+12025550102',
      message: 'Unreachable',
    });
    expect(res.status).toBe(422);
    expect(trail).toEqual(['sms.requested:success', 'sms.failed:failure']);
    expect(details(events[1]).error_code).toBe('RECIPIENT_UNREACHABLE');
  });

  it('unknown: requested, then unknown', async () => {
    stub.respondWith({ type: 'error', status: 500 });
    const { res, trail } = await call({ phone_number: '+12025550103', message: 'Maybe sent' });
    expect(res.status).toBe(502);
    expect(trail).toEqual(['sms.requested:success', 'sms.unknown:unknown']);
  });

  it('duplicate replayed: one duplicate_replayed event and no new request', async () => {
    await call({ phone_number: '+12025550104', message: 'Twice' });
    const { res, trail } = await call({ phone_number: '+12025550104', message: 'Twice' });
    expect(res.body.duplicate).toBe(true);
    expect(trail).toEqual(['sms.duplicate_replayed:success']);
  });

  it('rejected by validation: one rejected event with the code and the masked number', async () => {
    const { res, events, trail } = await call({ phone_number: '+12025550105', message: '' });
    expect(res.status).toBe(400);
    expect(trail).toEqual(['sms.rejected:failure']);
    expect(events[0].recipientMasked).toBe('***-***-0105');
    expect(details(events[0]).code).toBe('VALIDATION_FAILED');
  });

  it('rejected by policy: one rejected event', async () => {
    const { res, events, trail } = await call({ phone_number: '+14165550123', message: 'Canada' });
    expect(res.status).toBe(422);
    expect(trail).toEqual(['sms.rejected:failure']);
    expect(details(events[0]).code).toBe('COUNTRY_NOT_ALLOWED');
  });

  it('rejected because the number opted out', async () => {
    await app
      .get(ConsentService)
      .record('+12025550106', { state: 'opted_out', source: 'api', reason: 'test', actor: 'ops' });
    const { events, trail } = await call({ phone_number: '+12025550106', message: 'Opted out' });
    expect(trail).toEqual(['sms.rejected:failure']);
    expect(details(events[0]).code).toBe('RECIPIENT_OPTED_OUT');
    expect(stub.creates).toBe(0);
  });

  it('rate limited: one rate_limited event', async () => {
    for (let i = 0; i < 3; i++) await call({ phone_number: '+12025550107', message: `Limit ${i}` });
    const { res, trail } = await call({ phone_number: '+12025550107', message: 'Limit 4' });
    expect(res.status).toBe(429);
    expect(trail).toEqual(['sms.rate_limited:failure']);
  });

  it('auth denied: one auth.denied event by an anonymous actor', async () => {
    const { res, events, trail } = await call(
      { phone_number: '+12025550108', message: 'No key' },
      null,
    );
    expect(res.status).toBe(401);
    expect(trail).toEqual(['auth.denied:failure']);
    expect(events[0].actor).toBe('anonymous');
  });
});
