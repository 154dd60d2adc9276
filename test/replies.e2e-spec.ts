import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { EventDeliveryWorker } from '../src/events/event-delivery.worker.js';
import { InboundMessageEntity } from '../src/inbound/inbound-message.entity.js';
import { startEventReceiver, type EventReceiver } from './support/event-receiver.js';
import { recordedText } from './support/recorded-text.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const AUTH_TOKEN = 'replies-test-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const INBOUND_URL = `${PUBLIC_BASE_URL}/api/twilio/inbound`;
// The library's verify checks webhook-timestamp against the real time: the service keeps it too.
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const FREE_TEXT = 'Can we do Thursday instead, my knee hurts';

/** The real time (webhook-timestamp is checked against it), moved on when a spec says so. */
class MovableClock extends Clock {
  offsetMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

interface Delivered {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

describe("a patient's reply reaches the agent and the clinic (e2e, SQLite, Twilio stub)", () => {
  let stub: TwilioStub;
  let receiver: EventReceiver;
  let app: INestApplication;
  let lines: string[];
  let spies: Array<{ mockRestore(): void }>;
  let sid = 0;
  const clock = new MovableClock();
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    stub = await startTwilioStub();
    receiver = await startEventReceiver();
    lines = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    app = await createTestApp({
      env: {
        LOG_LEVEL: 'trace',
        TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PHONE_NUMBER: '+12025550100',
        TWILIO_API_BASE_URL: stub.baseUrl,
        PUBLIC_BASE_URL,
        EVENTS_WEBHOOK_URL: receiver.url,
        EVENTS_WEBHOOK_SECRET: SECRET,
      },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
    await receiver.close();
    spies.forEach((spy) => spy.mockRestore());
  });

  const send = async (path: string, phone: string, fields: Record<string, string>) =>
    (
      await http()
        .post(`/api/sms/${path}`)
        .set('X-API-Key', TEST_API_KEY)
        .send({
          phone_number: phone,
          patient_name: 'Jane Doe',
          conversation_id: `conv_${phone.slice(1)}`,
          ...fields,
        })
        .expect(201)
    ).body.message_id as string;
  const confirmation = (phone: string) =>
    send('send-appointment-confirmation', phone, {
      appointment_time: `${IN_A_WEEK}T15:30:00-05:00`,
    });
  const reminder = (phone: string) =>
    send('send-prescription-reminder', phone, { medication_name: 'Lisinopril 10 mg' });

  const inbound = (params: Record<string, string>) =>
    http()
      .post('/api/twilio/inbound')
      .type('form')
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(AUTH_TOKEN, INBOUND_URL, params))
      .send(params)
      .expect(200);
  const reply = (
    phone: string,
    body: string,
    messageSid = `SM${(++sid).toString(16).padStart(32, '0')}`,
  ) => inbound({ From: phone, Body: body, MessageSid: messageSid });

  const statusSentence = async (phone: string) =>
    (
      await http()
        .post('/api/sms/check-text-status')
        .set('X-API-Key', TEST_API_KEY)
        .send({ conversation_id: `conv_${phone.slice(1)}` })
        .expect(200)
    ).body.agent_message as string;

  /** Delivers what is due and answers the events received, each verified by the library. */
  const deliveredEvents = async (): Promise<Delivered[]> => {
    await app.get(EventDeliveryWorker).deliverDue();
    return receiver.received.map((delivery) => ({
      id: String(delivery.headers['webhook-id']),
      ...(new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>) as {
        type: string;
        data: Record<string, unknown>;
      }),
    }));
  };
  const eventsOf = async (messageId: string, type: string) =>
    (await deliveredEvents()).filter((e) => e.type === type && e.data.message_id === messageId);

  it.each([
    [
      'C',
      'confirmation',
      'appointment.confirmed',
      'the patient replied to confirm the appointment',
    ],
    ['r', 'confirmation', 'appointment.reschedule_requested', 'the patient asked to reschedule'],
    ['1', 'reminder', 'refill.requested', 'the patient asked for a refill'],
  ] as const)(
    'a signed inbound "%s" to the %s: the status tool says it, one %s event goes out',
    async (body, kind, type, words) => {
      const phone = `+1202555${(200 + sid).toString().padStart(4, '0')}`;
      const messageId = kind === 'confirmation' ? await confirmation(phone) : await reminder(phone);
      expect(stub.requests.at(-1)?.form.Body).toContain(
        kind === 'confirmation'
          ? 'Reply C to confirm or R to reschedule'
          : 'Reply 1 to request a refill',
      );

      const twiml = await reply(phone, body);
      expect(twiml.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      expect(await statusSentence(phone)).toContain(words);
      const events = await eventsOf(messageId, type);
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({
        message_id: messageId,
        tool:
          kind === 'confirmation' ? 'send_appointment_confirmation' : 'send_prescription_reminder',
        conversation_id: `conv_${phone.slice(1)}`,
        to: `***-***-${phone.slice(-4)}`,
        intent: type,
      });
    },
  );

  it('free text is message.replied (free_text) and a person should read it; its text is nowhere but inbound_messages', async () => {
    const phone = '+12025550301';
    const messageId = await confirmation(phone);
    await reply(phone, FREE_TEXT);

    expect(await statusSentence(phone)).toContain('the patient replied; a person should read it');
    const events = await eventsOf(messageId, 'message.replied');
    expect(events).toHaveLength(1);
    expect(events[0].data.intent).toBe('free_text');
    expect(await eventsOf(messageId, 'appointment.confirmed')).toEqual([]);

    const words = ['Thursday', 'knee'];
    const bodies = receiver.received.map((r) => r.body).join('\n');
    const audit = recordedText(await app.get(DataSource).getRepository(AuditEventEntity).find());
    expect(audit).toContain('sms.replied');
    // The capture works: the inbound request itself was logged.
    expect(lines.join('')).toContain('/api/twilio/inbound');
    for (const word of words) {
      expect(bodies).not.toContain(word);
      expect(audit).not.toContain(word);
      expect(lines.join('')).not.toContain(word);
    }
    const stored = await app
      .get(DataSource)
      .getRepository(InboundMessageEntity)
      .findBy({ matchedMessageId: messageId });
    expect(stored.map((row) => [row.body, row.intent])).toEqual([[FREE_TEXT, 'free_text']]);
  });

  it('a replayed inbound is processed once: one row, one event', async () => {
    const phone = '+12025550302';
    const messageId = await confirmation(phone);
    const messageSid = `SM${'ab'.repeat(16)}`;
    await reply(phone, 'C', messageSid);
    await reply(phone, 'C', messageSid);
    // Without a MessageSid, Twilio's I-Twilio-Idempotency-Token keys the delivery.
    const params = { From: phone, Body: 'C' };
    for (let n = 0; n < 2; n++) {
      await http()
        .post('/api/twilio/inbound')
        .type('form')
        .set(
          'X-Twilio-Signature',
          twilio.getExpectedTwilioSignature(AUTH_TOKEN, INBOUND_URL, params),
        )
        .set('I-Twilio-Idempotency-Token', 'token-of-one-delivery')
        .send(params)
        .expect(200);
    }

    expect(await eventsOf(messageId, 'appointment.confirmed')).toHaveLength(2);
    const rows = await app
      .get(DataSource)
      .getRepository(InboundMessageEntity)
      .findBy({ matchedMessageId: messageId });
    expect(rows).toHaveLength(2);
  });

  it('simulates no reply through the sandbox while Twilio sends', async () => {
    const res = await http()
      .post('/api/sandbox/replies')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550307', text: 'C' })
      .expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('a reply from a number never texted matches nothing', async () => {
    await reply('+12025550303', 'C');
    const events = (await deliveredEvents()).filter((e) => e.data.to === '***-***-0303');
    expect(events.map((e) => [e.type, e.data.message_id, e.data.intent])).toEqual([
      ['message.replied', null, 'free_text'],
    ]);
  });

  it('"please stop texting me" opts the number out (reply_phrase) and the next text is refused', async () => {
    const phone = '+12025550304';
    await confirmation(phone);
    const twiml = await reply(phone, 'please stop texting me');
    expect(twiml.text).toContain('unsubscribed');
    const consent = await http()
      .get(`/api/consent/${encodeURIComponent(phone)}`)
      .set('X-API-Key', TEST_ADMIN_KEY);
    expect(consent.body).toMatchObject({ state: 'opted_out', source: 'reply_phrase' });
    await http()
      .post('/api/sms/send-appointment-confirmation')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        phone_number: phone,
        patient_name: 'Jane Doe',
        appointment_time: `${IN_A_WEEK}T16:30:00-05:00`,
      })
      .expect((res) =>
        expect([res.status, res.body.error?.code]).toEqual([422, 'RECIPIENT_OPTED_OUT']),
      );
  });

  it('an unclear "stop" among other words gets one clarifying question per number, never two', async () => {
    const phone = '+12025550305';
    await confirmation(phone);
    const first = await reply(phone, 'stop, is this the right number?');
    expect(first.text).toContain('Reply STOP');
    // What else the reply said still reaches a person.
    expect(await statusSentence(phone)).toContain('the patient replied; a person should read it');
    const second = await reply(phone, 'stop it, I mean the reminders?');
    expect(second.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const consent = await http()
      .get(`/api/consent/${encodeURIComponent(phone)}`)
      .set('X-API-Key', TEST_ADMIN_KEY);
    expect(consent.body.state).not.toBe('opted_out');
  });

  // Last: its clock is a week ahead, which the event receiver's verify would refuse.
  it('a reply after REPLY_WINDOW_DAYS (7) matches no text', async () => {
    const phone = '+12025550306';
    await confirmation(phone);
    clock.offsetMs = 8 * 86_400_000;
    await reply(phone, 'C');
    const rows = await app
      .get(DataSource)
      .getRepository(InboundMessageEntity)
      .findBy({ recipientMasked: '***-***-0306' });
    expect(rows.map((row) => [row.intent, row.matchedMessageId])).toEqual([['free_text', null]]);
    clock.offsetMs = 6 * 86_400_000;
    await reply(phone, 'C');
    const matched = await app
      .get(DataSource)
      .getRepository(InboundMessageEntity)
      .findBy({ recipientMasked: '***-***-0306', intent: 'appointment.confirmed' });
    expect(matched).toHaveLength(1);
  });
});
