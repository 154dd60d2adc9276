import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'webhook-test-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const STATUS_URL = `${PUBLIC_BASE_URL}/api/twilio/status`;

/** Signs like Twilio: HMAC-SHA1 over the public URL and the sorted form fields. */
const sign = (params: Record<string, string>, url = STATUS_URL, token = AUTH_TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, params);

describe('Twilio delivery status webhook (e2e)', () => {
  let stub: TwilioStub;
  let app: INestApplication;

  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PHONE_NUMBER: '+12025550100',
        TWILIO_API_BASE_URL: stub.baseUrl,
        PUBLIC_BASE_URL,
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  const http = () => request(app.getHttpServer());
  const callback = (params: Record<string, string>, signature = sign(params)) =>
    http()
      .post('/api/twilio/status')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send(params);
  const statusOf = async (id: string) =>
    (await http().get(`/api/sms/messages/${id}`).set('X-API-Key', TEST_API_KEY).expect(200)).body
      .status;
  const statusEvents = (messageId: string) =>
    app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ messageId, action: 'twilio.status' });

  let sent = 0;
  async function sendOne(): Promise<{ id: string; sid: string }> {
    // A different text each time: the same text within the dedupe window is one send.
    const res = await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: `Your refill is ready (${++sent}).` })
      .expect(201);
    expect(stub.requests.at(-1)?.form.StatusCallback).toBe(
      `${STATUS_URL}?message_id=${res.body.message_id}`,
    );
    return { id: res.body.message_id, sid: res.body.provider_sid };
  }

  it('accepts a correctly signed callback and updates the message', async () => {
    const { id, sid } = await sendOne();
    expect(await statusOf(id)).toBe('queued');
    await callback({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: ACCOUNT_SID }).expect(
      204,
    );
    expect(await statusOf(id)).toBe('delivered');
  });

  it('refuses a tampered callback with 403 and audits the refusal', async () => {
    const { id, sid } = await sendOne();
    const signed = { MessageSid: sid, MessageStatus: 'delivered' };
    const res = await callback({ ...signed, MessageStatus: 'failed' }, sign(signed)).expect(403);
    expect(res.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    expect(await statusOf(id)).toBe('queued');
    const denied = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ action: 'auth.denied', actor: 'twilio' });
    expect(denied.length).toBeGreaterThan(0);
  });

  it('refuses a callback without a signature, or signed for another host', async () => {
    const { sid } = await sendOne();
    const params = { MessageSid: sid, MessageStatus: 'delivered' };
    await http().post('/api/twilio/status').type('form').send(params).expect(403);
    await callback(params, sign(params, 'https://attacker.example.com/api/twilio/status')).expect(
      403,
    );
    await callback(params, sign(params, STATUS_URL, 'another-token')).expect(403);
  });

  it('ignores a late "sent" after "delivered" and repeated callbacks, auditing only the change', async () => {
    const { id, sid } = await sendOne();
    await callback({ MessageSid: sid, MessageStatus: 'delivered' }).expect(204);
    await callback({ MessageSid: sid, MessageStatus: 'sent' }).expect(204);
    await callback({ MessageSid: sid, MessageStatus: 'delivered' }).expect(204);
    expect(await statusOf(id)).toBe('delivered');
    const events = await statusEvents(id);
    // A callback that changes nothing adds no event, so a replayed one cannot grow the log.
    expect(events.map((e) => JSON.parse(e.details ?? '{}'))).toEqual([
      expect.objectContaining({ provider_status: 'delivered', applied: true }),
    ]);
  });

  it('moves forward through sending and sent, and records a failure code', async () => {
    const { id, sid } = await sendOne();
    await callback({ MessageSid: sid, MessageStatus: 'sent' }).expect(204);
    expect(await statusOf(id)).toBe('sent');
    await callback({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30006' }).expect(
      204,
    );
    const res = await http()
      .get(`/api/sms/messages/${id}`)
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    expect(res.body).toMatchObject({ status: 'undelivered', error_code: 'TWILIO_30006' });
  });

  it('settles a send whose answer never arrived, from the callback URL Twilio was given', async () => {
    stub.respondWith({ type: 'destroy-socket' });
    const res = await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: 'Answer lost on the way back' })
      .expect(502);
    expect(res.body.error.code).toBe('DELIVERY_UNKNOWN');
    stub.reset();
    const [row] = await app
      .get(DataSource)
      .getRepository(MessageEntity)
      .findBy({ status: 'unknown', errorCode: 'DELIVERY_UNKNOWN' });
    const url = `${STATUS_URL}?message_id=${row.id}`;
    const sid = `SM${'ab'.repeat(16)}`;
    const params = { MessageSid: sid, MessageStatus: 'delivered' };
    await http()
      .post(`/api/twilio/status?message_id=${row.id}`)
      .type('form')
      .set('X-Twilio-Signature', sign(params, url))
      .send(params)
      .expect(204);
    const settled = await http()
      .get(`/api/sms/messages/${row.id}`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);
    expect(settled.body).toMatchObject({ status: 'delivered', provider_sid: sid });
  });

  it('acknowledges a callback for an unknown message without changing anything', async () => {
    await callback({ MessageSid: `SM${'9'.repeat(32)}`, MessageStatus: 'delivered' }).expect(204);
  });
});

describe('Twilio webhooks without Twilio configured (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { PUBLIC_BASE_URL } });
  });
  afterAll(() => app.close());

  it('refuses every callback: there is no auth token to check a signature with', async () => {
    const params = { MessageSid: `SM${'1'.repeat(32)}`, MessageStatus: 'delivered' };
    await request(app.getHttpServer())
      .post('/api/twilio/status')
      .type('form')
      .set('X-Twilio-Signature', sign(params))
      .send(params)
      .expect(403);
  });
});
