import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { Clock } from '../src/common/clock.js';
import { DispatcherService } from '../src/scheduling/dispatcher.service.js';
import { ScheduledTextEntity } from '../src/scheduling/scheduled-text.entity.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const AUTH_TOKEN = 'dispatcher-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const INBOUND_URL = `${PUBLIC_BASE_URL}/api/twilio/inbound`;

/** Quiet hours are specified at fixed instants, not at the hour CI runs. */
class MovableClock extends Clock {
  current = new Date();
  override now(): Date {
    return new Date(this.current);
  }
}
const NIGHT = new Date('2026-11-26T03:00:00Z'); // 22:00 in New York
const MORNING = new Date('2026-11-26T13:00:00Z'); // 08:00 in New York

let line = 2000;
const freshNumber = () => `+1202555${String(line++).padStart(4, '0')}`;

describe('the dispatcher: scheduled texts with only TWILIO_PHONE_NUMBER (e2e, stand-in)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  const clock = new MovableClock();

  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, {
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        PUBLIC_BASE_URL,
        QUIET_HOURS: '21:00-08:00',
        DEFAULT_TIMEZONE: 'America/New_York',
        DISPATCH_MAX_LATE_MINUTES: '60',
      }),
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });
  beforeEach(() => {
    stub.reset();
    clock.current = NIGHT;
  });

  const http = () => request(app.getHttpServer());
  let n = 0;
  const sendAtNight = (phone: string) =>
    http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, message: `See you tomorrow (${++n}).` });
  const dispatcher = () => app.get(DispatcherService);
  const rowOf = (id: string) =>
    app.get(DataSource).getRepository(MessageEntity).findOneByOrFail({ id });
  const events = (messageId: string) =>
    app.get(DataSource).getRepository(AuditEventEntity).findBy({ messageId });
  const heldTexts = () => app.get(DataSource).getRepository(ScheduledTextEntity).count();

  it('answers "scheduled" at night, and sends exactly once when the time comes', async () => {
    const res = await sendAtNight(freshNumber()).expect(201);
    expect(res.body).toMatchObject({
      status: 'scheduled',
      provider_sid: null,
      scheduled_for: MORNING.toISOString(),
    });
    expect(stub.creates).toBe(0);

    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 0 });
    expect(stub.creates).toBe(0);

    clock.current = MORNING;
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 0 });
    expect(stub.creates).toBe(1);
    // Sent now: no SendAt, from the plain number.
    expect(stub.requests[0].form).not.toHaveProperty('SendAt');
    expect(stub.requests[0].form.From).toBe('+12025550100');
    const row = await rowOf(res.body.message_id);
    expect(row.status).toBe('queued');
    expect(row.providerSid).toBe(stub.requests[0].response?.body.sid);
    expect((await events(row.id)).map((e) => e.action)).toEqual([
      'sms.requested',
      'sms.scheduled',
      'sms.sent',
    ]);
    expect(await heldTexts()).toBe(0);
  });

  it('cancels the text when the patient replies STOP before it is due', async () => {
    const patient = freshNumber();
    const res = await sendAtNight(patient).expect(201);
    const stop = { From: patient, To: '+12025550100', Body: 'STOP' };
    await http()
      .post('/api/twilio/inbound')
      .type('form')
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(AUTH_TOKEN, INBOUND_URL, stop))
      .send(stop)
      .expect(200);

    clock.current = MORNING;
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, canceled: 1 });

    expect(stub.creates).toBe(0);
    const row = await rowOf(res.body.message_id);
    expect(row).toMatchObject({ status: 'canceled', errorCode: 'CONSENT_WITHDRAWN' });
    const canceled = (await events(row.id)).find((e) => e.action === 'sms.canceled');
    expect(JSON.parse(canceled?.details ?? '{}')).toMatchObject({
      error_code: 'CONSENT_WITHDRAWN',
    });
    expect(await heldTexts()).toBe(0);
  });

  it('can be canceled until it goes, and then never goes', async () => {
    const res = await sendAtNight(freshNumber()).expect(201);
    await http()
      .delete(`/api/sms/messages/${res.body.message_id}`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);

    clock.current = MORNING;
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 0 });
    expect(stub.creates).toBe(0);
  });

  it('sends a text whose time passed while nothing polled, but expires one later than DISPATCH_MAX_LATE_MINUTES', async () => {
    const late = await sendAtNight(freshNumber()).expect(201);
    clock.current = new Date(MORNING.getTime() + 30 * 60_000);
    expect(await dispatcher().dispatchDue()).toMatchObject({ sent: 1 });
    expect((await rowOf(late.body.message_id)).status).toBe('queued');

    clock.current = NIGHT;
    const stale = await sendAtNight(freshNumber()).expect(201);
    clock.current = new Date(MORNING.getTime() + 61 * 60_000);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, expired: 1 });
    expect(stub.creates).toBe(1);
    expect(await rowOf(stale.body.message_id)).toMatchObject({
      status: 'canceled',
      errorCode: 'EXPIRED',
    });
    expect((await events(stale.body.message_id)).map((e) => e.action)).toContain('sms.expired');
  });

  it('tells the agent when a scheduled text will go, through the status tool', async () => {
    await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        phone_number: freshNumber(),
        message: 'Scheduled and asked about',
        conversation_id: 'conv_dispatch_status',
      })
      .expect(201);
    const res = await http()
      .post('/api/sms/check-text-status')
      .set('X-API-Key', TEST_API_KEY)
      .send({ conversation_id: 'conv_dispatch_status' })
      .expect(200);
    expect(res.body.agent_message).toMatch(/is scheduled for Thursday, 8:00 AM EST\.$/);
  });

  describe('remind_before on an appointment confirmation', () => {
    const DAY = new Date('2026-11-25T15:00:00Z'); // 10:00 in New York
    const confirm = (phone: string, extra: object = {}) =>
      http()
        .post('/api/sms/send-appointment-confirmation')
        .set('X-API-Key', TEST_API_KEY)
        .send({
          phone_number: phone,
          patient_name: 'Jane Doe',
          appointment_time: '2026-11-27T15:30:00-05:00',
          provider_name: 'Dr. Patel',
          remind_before: '24h',
          ...extra,
        });

    it('sends the confirmation now and the reminder 24 hours before, through the dispatcher', async () => {
      clock.current = DAY;
      const res = await confirm(freshNumber()).expect(201);
      expect(res.body.status).toBe('queued');
      expect(res.body.reminder).toEqual({
        message_id: expect.any(String),
        scheduled_for: '2026-11-26T20:30:00.000Z',
      });
      expect(res.body.agent_message).toMatch(
        /I'll also text a reminder on Thursday, 3:30 PM EST\.$/,
      );
      expect(stub.creates).toBe(1);

      clock.current = new Date('2026-11-26T20:30:00Z');
      expect(await dispatcher().dispatchDue()).toMatchObject({ sent: 1 });
      expect(stub.creates).toBe(2);
      expect(stub.requests.at(-1)?.form.Body).toBe(
        'Reminder: Hi Jane, your appointment with Dr. Patel is confirmed for Friday, November 27, 2026 at 3:30 PM. Reply C to confirm or R to reschedule.',
      );
    });

    it("is canceled with the confirmation's id", async () => {
      clock.current = DAY;
      const res = await confirm(freshNumber()).expect(201);
      const canceled = await http()
        .delete(`/api/sms/messages/${res.body.message_id}`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(canceled.body.status).toBe('queued');
      expect((await rowOf(res.body.reminder.message_id)).status).toBe('canceled');

      clock.current = new Date('2026-11-26T20:30:00Z');
      expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 0 });
      expect(stub.creates).toBe(1);
    });

    it('refuses a reminder that cannot go before the appointment, sending nothing', async () => {
      clock.current = new Date('2026-11-27T20:00:00Z'); // 15:00 in New York, 30 minutes before
      const res = await confirm(freshNumber(), { remind_before: '2h' }).expect(400);
      expect(res.body.error).toMatchObject({ code: 'SEND_AT_OUT_OF_RANGE' });
      expect(stub.creates).toBe(0);
    });
  });
});

describe('the dispatcher across a restart (e2e, SQLite file, stand-in)', () => {
  let stub: TwilioStub;
  let dir: string;
  const clock = new MovableClock();
  beforeAll(async () => {
    stub = await startTwilioStub();
    dir = mkdtempSync(join(tmpdir(), 'dispatcher-restart-'));
  });
  afterAll(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const boot = () =>
    createTestApp({
      env: twilioStubEnv(stub, {
        SQLITE_PATH: join(dir, 'gateway.sqlite'),
        QUIET_HOURS: '21:00-08:00',
        DEFAULT_TIMEZONE: 'America/New_York',
      }),
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });

  it('sends on the next start a text that fell due while the service was down', async () => {
    clock.current = NIGHT;
    const before = await boot();
    let id: string;
    try {
      const res = await request(before.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: freshNumber(), message: 'Across a restart' })
        .expect(201);
      expect(res.body.status).toBe('scheduled');
      id = res.body.message_id as string;
    } finally {
      await before.close();
    }

    clock.current = new Date(MORNING.getTime() + 20 * 60_000);
    const after = await boot();
    try {
      expect(await after.get(DispatcherService).dispatchDue()).toMatchObject({ sent: 1 });
      expect(stub.creates).toBe(1);
      const row = await after.get(DataSource).getRepository(MessageEntity).findOneByOrFail({ id });
      expect(row.status).toBe('queued');
    } finally {
      await after.close();
    }
  });
});
