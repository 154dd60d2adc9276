import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { Clock } from '../src/common/clock.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { DispatcherService } from '../src/scheduling/dispatcher.service.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** A clock the spec sets: quiet hours are specified at fixed instants, not at the hour CI runs. */
class FixedClock extends Clock {
  current = new Date('2026-11-26T03:00:00Z'); // 22:00 in New York, 19:00 in Los Angeles
  override now(): Date {
    return new Date(this.current);
  }
}

const PATIENT = '+12025550143';
const reminder = (extra: object = {}) => ({
  phone_number: PATIENT,
  patient_name: 'Jane Doe',
  medication_name: 'Lisinopril 10 mg',
  ...extra,
});

describe('quiet hours and scheduled sends (e2e, sandbox)', () => {
  let app: INestApplication;
  const clock = new FixedClock();
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        QUIET_HOURS: '21:00-08:00',
        DEFAULT_TIMEZONE: 'America/New_York',
        ALLOWED_COUNTRIES: 'US,GB',
      },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    clock.current = new Date('2026-11-26T03:00:00Z');
  });

  let n = 0;
  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const sendSms = (extra: object = {}) =>
    post('/api/sms/send', { phone_number: PATIENT, message: `Quiet hours ${++n}`, ...extra });
  const outbox = () => app.get<SandboxProvider>(SMS_PROVIDER).recent();

  it('schedules a reminder requested at 10 p.m. for 8 a.m., and says when', async () => {
    const res = await post('/api/sms/send-prescription-reminder', reminder()).expect(201);
    expect(res.body).toMatchObject({
      status: 'scheduled',
      scheduled_for: '2026-11-26T13:00:00.000Z',
    });
    expect(res.body.agent_message).toMatch(
      /scheduled the prescription reminder for Thursday, 8:00 AM EST/,
    );
    // The dispatcher holds it: nothing reaches the sandbox before 8 a.m.
    expect(outbox().find((m) => m.messageId === res.body.message_id)).toBeUndefined();
    const status = await request(app.getHttpServer())
      .get(`/api/sms/messages/${res.body.message_id}`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);
    expect(status.body).toMatchObject({ status: 'scheduled', send_at: '2026-11-26T13:00:00.000Z' });

    clock.current = new Date('2026-11-26T13:00:00Z');
    await app.get(DispatcherService).dispatchDue();
    expect(outbox().filter((m) => m.messageId === res.body.message_id)).toHaveLength(1);
  });

  it("uses the request's time zone: the same instant is 7 p.m. in Los Angeles", async () => {
    const res = await sendSms({ timezone: 'America/Los_Angeles' }).expect(201);
    expect(res.body.status).toBe('sent');
    expect(res.body.scheduled_for).toBeUndefined();
  });

  it("uses the number's country when it has one zone: 03:00 in London is quiet", async () => {
    clock.current = new Date('2026-11-25T19:00:00Z'); // 14:00 in New York, 19:00 in London
    const london = await sendSms({ phone_number: '+447400123456' }).expect(201);
    expect(london.body.status).toBe('sent');
    clock.current = new Date('2026-11-26T03:00:00Z'); // 22:00 in New York, 03:00 in London
    const night = await sendSms({ phone_number: '+447400123456' }).expect(201);
    expect(night.body.scheduled_for).toBe('2026-11-26T08:00:00.000Z');
  });

  it('sends an urgent send_sms at once and audits the choice', async () => {
    const res = await sendSms({ urgent: true }).expect(201);
    expect(res.body.status).toBe('sent');
    const [requested] = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ messageId: res.body.message_id, action: 'sms.requested' });
    expect(JSON.parse(requested.details ?? '{}')).toMatchObject({ urgent: true });
  });

  it('schedules across a DST change with the new offset', async () => {
    clock.current = new Date('2026-11-01T03:30:00Z'); // 23:30 EDT; 08:00 the next day is EST
    const res = await sendSms().expect(201);
    expect(res.body.scheduled_for).toBe('2026-11-01T13:00:00.000Z');
  });

  it('rounds a window that ends within 15 minutes up to what Twilio can schedule', async () => {
    clock.current = new Date('2026-11-26T12:55:00Z'); // 07:55 in New York
    const res = await sendSms().expect(201);
    expect(new Date(res.body.scheduled_for).getTime()).toBeGreaterThanOrEqual(
      clock.current.getTime() + 15 * 60_000,
    );
  });

  describe('send_at', () => {
    beforeEach(() => {
      clock.current = new Date('2026-11-25T15:00:00Z'); // 10:00 in New York
    });

    it('schedules an explicit time inside the window', async () => {
      const res = await post(
        '/api/sms/send-prescription-reminder',
        reminder({ send_at: '2026-11-27T09:30:00-05:00' }),
      ).expect(201);
      expect(res.body.scheduled_for).toBe('2026-11-27T14:30:00.000Z');
    });

    it.each([
      ['10 minutes ahead', '2026-11-25T10:10:00-05:00'],
      ['in the past', '2026-11-24T10:00:00-05:00'],
      ['36 days ahead', '2026-12-31T10:00:00-05:00'],
    ])('refuses a send_at %s', async (_, sendAt) => {
      const res = await post(
        '/api/sms/send-prescription-reminder',
        reminder({ send_at: sendAt }),
      ).expect(400);
      expect(res.body.error.code).toBe('SEND_AT_OUT_OF_RANGE');
    });

    it('moves a send_at inside quiet hours to their end', async () => {
      const res = await post(
        '/api/sms/send-prescription-reminder',
        reminder({ send_at: '2026-11-26T23:00:00-05:00' }),
      ).expect(201);
      expect(res.body.scheduled_for).toBe('2026-11-27T13:00:00.000Z');
    });
  });

  describe('cancel', () => {
    it('cancels a scheduled message, once', async () => {
      const sent = await sendSms().expect(201);
      const id = sent.body.message_id as string;
      const del = () =>
        request(app.getHttpServer())
          .delete(`/api/sms/messages/${id}`)
          .set('X-API-Key', TEST_API_KEY);
      const res = await del().expect(200);
      expect(res.body.status).toBe('canceled');
      const again = await del().expect(409);
      expect(again.body.error.code).toBe('MESSAGE_NOT_CANCELABLE');
      clock.current = new Date('2026-11-26T13:00:00Z');
      await app.get(DispatcherService).dispatchDue();
      expect(outbox().find((m) => m.messageId === id)).toBeUndefined();
    });

    it('refuses to cancel a message that already went out', async () => {
      const sent = await sendSms({ urgent: true }).expect(201);
      await request(app.getHttpServer())
        .delete(`/api/sms/messages/${sent.body.message_id}`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(409);
    });
  });
});

describe('scheduled sends through Twilio (e2e, stub)', () => {
  let stub: TwilioStub;
  const clock = new FixedClock();
  const boot = (extra: Record<string, string>) =>
    createTestApp({
      env: {
        QUIET_HOURS: '21:00-08:00',
        TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
        TWILIO_AUTH_TOKEN: 'quiet-hours-token',
        TWILIO_API_BASE_URL: stub.baseUrl,
        ...extra,
      },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  beforeAll(async () => {
    stub = await startTwilioStub();
  });
  afterAll(() => stub.close());
  beforeEach(() => stub.reset());

  it('holds the text in the service even with a Messaging Service, and sends it through the service when due', async () => {
    const app = await boot({ TWILIO_MESSAGING_SERVICE_SID: `MG${'fedcba9876543210'.repeat(2)}` });
    try {
      const res = await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: PATIENT, message: 'At night' })
        .expect(201);
      expect(res.body.status).toBe('scheduled');
      expect(stub.creates).toBe(0);

      clock.current = new Date('2026-11-26T13:00:00Z');
      await app.get(DispatcherService).dispatchDue();
      expect(stub.creates).toBe(1);
      expect(stub.requests[0].form).toMatchObject({
        MessagingServiceSid: `MG${'fedcba9876543210'.repeat(2)}`,
      });
      expect(stub.requests[0].form).not.toHaveProperty('SendAt');
    } finally {
      clock.current = new Date('2026-11-26T03:00:00Z');
      await app.close();
    }
  });

  it('schedules a quiet-hours send with only TWILIO_PHONE_NUMBER, calling Twilio only when due', async () => {
    const app = await boot({ TWILIO_PHONE_NUMBER: '+12025550100' });
    try {
      const res = await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: PATIENT, message: 'At night, no Messaging Service' })
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'scheduled',
        scheduled_for: '2026-11-26T13:00:00.000Z',
      });
      expect(stub.creates).toBe(0);
    } finally {
      await app.close();
    }
  });
});
