import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import twilio from 'twilio';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'status-tool-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const STATUS_URL = `${PUBLIC_BASE_URL}/api/twilio/status`;
const OTHER_KEY = 'other-clinic-key-0123456789abcdef';
const PATIENT = '+12025550143';

describe('the status tool: "did my text arrive?" (e2e, Twilio stand-in)', () => {
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
        API_KEYS: `agent:${TEST_API_KEY}:sms.send+sms.read,other:${OTHER_KEY}:sms.send+sms.read`,
        // One text per conversation: asking about it must not spend that limit.
        RATE_LIMIT_PER_CONVERSATION: '1',
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  const http = () => request(app.getHttpServer());
  const askStatus = (body: object, key = TEST_API_KEY) =>
    http().post('/api/sms/check-text-status').set('X-API-Key', key).send(body);
  const callback = (params: Record<string, string>) =>
    http()
      .post('/api/twilio/status')
      .type('form')
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(AUTH_TOKEN, STATUS_URL, params))
      .send(params);

  async function sendIn(conversationId: string): Promise<{ id: string; sid: string }> {
    const res = await http()
      .post('/api/sms/send-copay-card')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        phone_number: PATIENT,
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
        conversation_id: conversationId,
      })
      .expect(201);
    return { id: res.body.message_id, sid: res.body.provider_sid };
  }

  it('says a text failed because the number cannot get texts (undelivered, 30006)', async () => {
    const { sid } = await sendIn('conv_status_landline');
    await callback({
      MessageSid: sid,
      MessageStatus: 'undelivered',
      ErrorCode: '30006',
      AccountSid: ACCOUNT_SID,
    }).expect(204);

    const res = await askStatus({ conversation_id: 'conv_status_landline' }).expect(200);

    expect(res.body.agent_message).toBe(
      "The copay card to the number ending in 0143 didn't arrive: that number can't get texts; it may be a landline.",
    );
    expect(res.body.texts).toEqual([
      expect.objectContaining({ status: 'undelivered', error_code: 'TWILIO_30006' }),
    ]);
    // Never the text, never the full number.
    expect(JSON.stringify(res.body)).not.toMatch(/copay\.example\.com|2025550143/);
  });

  it("shows another key nothing of this conversation's texts", async () => {
    await sendIn('conv_status_private');

    const res = await askStatus({ conversation_id: 'conv_status_private' }, OTHER_KEY).expect(200);

    expect(res.body.texts).toEqual([]);
    expect(res.body.agent_message).toBe("I don't see any text sent during this call yet.");
  });

  it('says delivered, and answers again and again without spending the conversation limit', async () => {
    const { sid } = await sendIn('conv_status_delivered');
    await callback({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: ACCOUNT_SID });

    for (let i = 0; i < 3; i++) {
      const res = await askStatus({ conversation_id: 'conv_status_delivered' }).expect(200);
      expect(res.body.agent_message).toBe(
        'The copay card to the number ending in 0143 was delivered.',
      );
    }
    expect(stub.creates).toBeGreaterThan(0);
  });

  it('answers 400 without a conversation_id', async () => {
    const res = await askStatus({}).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.agent_message).toEqual(expect.any(String));
  });
  it('is documented as a 200 answer that asks only for the conversation', async () => {
    const document = (await http().get('/docs-json').expect(200)).body;
    const operation = document.paths['/api/sms/check-text-status'].post;

    expect(Object.keys(operation.responses)).toContain('200');
    expect(Object.keys(operation.responses)).not.toContain('201');
    const answer = operation.responses['200'].content['application/json'].schema.$ref as string;
    expect(
      Object.keys(document.components.schemas[answer.split('/').pop() as string].properties),
    ).toEqual(expect.arrayContaining(['conversation_id', 'texts', 'agent_message']));
    const input = operation.requestBody.content['application/json'].schema.$ref as string;
    const fields = document.components.schemas[input.split('/').pop() as string];
    expect(Object.keys(fields.properties)).toEqual(['conversation_id']);
    expect(fields.required).toEqual(['conversation_id']);
  });

  it('records a replayed signed callback once: a captured callback cannot grow the audit log', async () => {
    const { id, sid } = await sendIn('conv_status_replay');
    const statusEvents = () =>
      app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .countBy({ action: 'twilio.status', messageId: id });
    const delivered = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: ACCOUNT_SID };
    const late = { MessageSid: sid, MessageStatus: 'sent', AccountSid: ACCOUNT_SID };

    for (let i = 0; i < 20; i += 1) await callback(delivered).expect(204);
    for (let i = 0; i < 5; i += 1) await callback(late).expect(204);

    expect(await statusEvents()).toBe(1);
  });
});
