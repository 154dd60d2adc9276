import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { InboundMessageEntity } from '../src/inbound/inbound-message.entity.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';

const AUTH_TOKEN = 'inbound-replay-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const INBOUND_URL = `${PUBLIC_BASE_URL}/api/twilio/inbound`;
export const INBOUND_TWILIO_ENV = {
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_PHONE_NUMBER: '+12025550100',
  PUBLIC_BASE_URL,
};
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

let sids = 0;
export const newSid = () => `SM${(0xa000 + ++sids).toString(16).padStart(32, '0')}`;
let lines = 0;
export const newPatient = () => `+1202555${String(3000 + ++lines)}`;

/** Posts an incoming-message webhook signed as Twilio signs it. */
export function deliverSigned(
  app: INestApplication,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return request(app.getHttpServer())
    .post('/api/twilio/inbound')
    .type('form')
    .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(AUTH_TOKEN, INBOUND_URL, params))
    .set(headers)
    .send(params);
}

/**
 * A captured, correctly signed delivery replayed as is: Twilio signs the URL and the form
 * fields, no timestamp, so the signature stays valid forever.
 */
export function inboundReplaySuite(env: () => Record<string, string | undefined>): void {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...INBOUND_TWILIO_ENV, ...env() } });
  });
  afterAll(() => app?.close());

  const http = () => request(app.getHttpServer());
  const deliver = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    deliverSigned(app, params, headers);
  const stateOf = async (phone: string) =>
    (
      await http()
        .get(`/api/consent/${encodeURIComponent(phone)}`)
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200)
    ).body.state as string | null;
  const changesOf = async (phone: string) =>
    (
      await http()
        .get(`/api/consent/changes?phone_number=${encodeURIComponent(phone)}`)
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200)
    ).body.changes as unknown[];

  it('a START replayed with its MessageSid after a STOP answers empty TwiML and changes nothing', async () => {
    const from = newPatient();
    const start = { MessageSid: newSid(), From: from, To: '+12025550100', Body: 'START' };
    expect((await deliver(start).expect(200)).text).toContain('resubscribed');
    await deliver({ MessageSid: newSid(), From: from, To: '+12025550100', Body: 'STOP' }).expect(
      200,
    );
    expect(await stateOf(from)).toBe('opted_out');

    const replay = await deliver(start)
      .expect(200)
      .expect('Content-Type', /^text\/xml/);
    expect(replay.text).toBe(EMPTY_TWIML);
    expect(await stateOf(from)).toBe('opted_out');
    expect(await changesOf(from)).toHaveLength(2);
  });

  it('records each message once, with the masked number, its hash, what it was read as and its text', async () => {
    const from = newPatient();
    const sid = newSid();
    await deliver({ MessageSid: sid, From: from, Body: 'STOP' }).expect(200);
    await deliver({ MessageSid: sid, From: from, Body: 'STOP' }).expect(200);
    const rows = await app
      .get(DataSource)
      .getRepository(InboundMessageEntity)
      .findBy({ providerMessageId: sid });
    expect(rows).toEqual([
      expect.objectContaining({
        recipientMasked: `***-***-${from.slice(-4)}`,
        recipientHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        matchedMessageId: null,
        intent: 'opt_out',
        // Kept here only, until REPLY_RETENTION_DAYS.
        body: 'STOP',
      }),
    ]);
    expect(await changesOf(from)).toHaveLength(1);
  });

  it('acts on two deliveries of one MessageSid arriving together once', async () => {
    const from = newPatient();
    const stop = { MessageSid: newSid(), From: from, Body: 'STOP' };
    const answers = await Promise.all([deliver(stop), deliver(stop), deliver(stop)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const texts = answers.map((a) => a.text);
    expect(texts.filter((text) => text.includes('unsubscribed'))).toHaveLength(1);
    expect(texts.filter((text) => text === EMPTY_TWIML)).toHaveLength(2);
    expect(await changesOf(from)).toHaveLength(1);
  });

  it('without a MessageSid, honours I-Twilio-Idempotency-Token: a retried STOP changes nothing', async () => {
    const from = newPatient();
    const stop = { From: from, Body: 'STOP' };
    // As long as an account sid and a UUID together: longer than the provider id column.
    const token = {
      'I-Twilio-Idempotency-Token': `${INBOUND_TWILIO_ENV.TWILIO_ACCOUNT_SID}-${randomUUID()}`,
    };
    await deliver(stop, token).expect(200);
    await deliver({ From: from, Body: 'START' }).expect(200);
    expect(await stateOf(from)).toBe('opted_in');

    expect((await deliver(stop, token).expect(200)).text).toBe(EMPTY_TWIML);
    expect(await stateOf(from)).toBe('opted_in');
    expect(await changesOf(from)).toHaveLength(2);
  });
}
