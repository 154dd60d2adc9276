import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { expectErrorContract } from './support/error-contract.js';
import { rawRequest } from './support/raw-http.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';

const AUTH_TOKEN = 'edges-test-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const sign = (path: string, params: Record<string, string>) =>
  twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params);

/** `leaf` inside `depth` levels of arrays (depth 1: [leaf]). */
function nestedArray(depth: number, leaf: unknown = true): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function nestedObject(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('every edge answers in the error contract (e2e)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  let port: number;

  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      // Their own auth token: the specs sign webhooks with it.
      env: twilioStubEnv(stub, { TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL }),
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  const http = () => request(app.getHttpServer());
  const rows = () => app.get(DataSource).getRepository(MessageEntity).count();

  describe('deeply nested bodies', () => {
    it('refuses an array nested 1,500 deep in a send with 400, and sends nothing', async () => {
      const before = await rows();
      const res = await http()
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: '+12025550143', message: 'Hi', urgent: nestedArray(1500) })
        .expect(400);
      expectErrorContract(res.body, 'VALIDATION_FAILED');
      expect(res.body.error.details).toEqual({ max_depth: 32 });
      expect(await rows()).toBe(before);
      expect(stub.creates).toBe(0);
    });

    it('refuses an object nested 2,500 deep, on every tool, the preview and consent', async () => {
      const deep = nestedObject(2500);
      const cases: Array<[string, string, Record<string, unknown>]> = [
        [
          '/api/sms/send-copay-card',
          TEST_API_KEY,
          { phone_number: '+12025550143', patient_name: deep },
        ],
        ['/api/sms/preview', TEST_API_KEY, { tool: 'send_sms', message: deep }],
        ['/api/consent', TEST_ADMIN_KEY, { phone_number: '+12025550143', reason: deep }],
      ];
      for (const [path, key, body] of cases) {
        const res = await http().post(path).set('X-API-Key', key).send(body);
        expect([path, res.status]).toEqual([path, 400]);
        expectErrorContract(res.body, 'VALIDATION_FAILED');
      }
    });

    it('lets a body 32 levels deep through to field validation', async () => {
      const res = await http()
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: '+12025550143', message: 'Hi', urgent: nestedArray(31) })
        .expect(400);
      expectErrorContract(res.body, 'VALIDATION_FAILED');
      expect(res.body.error.details.fields).toEqual([
        { field: 'urgent', problems: [expect.any(String)] },
      ]);
    });

    it("reads a webhook form's bracketed names as flat names, however deep they look", async () => {
      const params = {
        MessageSid: `SM${'7'.repeat(32)}`,
        MessageStatus: 'delivered',
        [`x${'[a]'.repeat(1500)}`]: '1',
      };
      await http()
        .post('/api/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', sign('/api/twilio/status', params))
        .send(params)
        .expect(204);
    });
  });

  describe('webhooks sent as something other than a form', () => {
    it.each(['/api/twilio/inbound', '/api/twilio/status'])(
      'answers a signed text/plain or JSON post to %s with 415',
      async (path) => {
        // Twilio signs the URL and the form fields: with no form, the URL alone.
        const signature = sign(path, {});
        const plain = await http()
          .post(path)
          .set('Content-Type', 'text/plain')
          .set('X-Twilio-Signature', signature)
          .send('Body=STOP&MessageSid=SM1')
          .expect(415);
        expectErrorContract(plain.body, 'UNSUPPORTED_MEDIA_TYPE');
        const json = await http()
          .post(path)
          .set('X-Twilio-Signature', signature)
          .send({ Body: 'STOP' })
          .expect(415);
        expectErrorContract(json.body, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );
  });

  describe('status callbacks with values Twilio never sends', () => {
    const statusEvents = () =>
      app.get(DataSource).getRepository(AuditEventEntity).countBy({ action: 'twilio.status' });

    it('refuses a MessageStatus that looks like a phone number with 400, recording nothing', async () => {
      const before = await statusEvents();
      const params = { MessageSid: `SM${'1'.repeat(32)}`, MessageStatus: '+12025550143' };
      const res = await http()
        .post('/api/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', sign('/api/twilio/status', params))
        .send(params)
        .expect(400);
      expectErrorContract(res.body, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).not.toContain('2025550143');
      expect(await statusEvents()).toBe(before);
    });

    it.each([
      ['an unknown status', { MessageStatus: 'exploded' }],
      ['no status', {}],
      ['a malformed sid', { MessageSid: 'SM+12025550143', MessageStatus: 'sent' }],
      ['a malformed error code', { MessageStatus: 'failed', ErrorCode: '+12025550143' }],
    ])('refuses %s with 400', async (_case, fields: Record<string, string>) => {
      const params = { MessageSid: `SM${'2'.repeat(32)}`, ...fields };
      const res = await http()
        .post('/api/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', sign('/api/twilio/status', params))
        .send(params)
        .expect(400);
      expectErrorContract(res.body, 'VALIDATION_FAILED');
    });

    it('refuses a status sent twice (an array) with 400', async () => {
      const form = 'MessageSid=SM' + '3'.repeat(32) + '&MessageStatus=sent&MessageStatus=failed';
      const signature = twilio.getExpectedTwilioSignature(
        AUTH_TOKEN,
        `${PUBLIC_BASE_URL}/api/twilio/status`,
        { MessageSid: `SM${'3'.repeat(32)}`, MessageStatus: ['sent', 'failed'] } as never,
      );
      const res = await http()
        .post('/api/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', signature)
        .send(form)
        .expect(400);
      expectErrorContract(res.body, 'VALIDATION_FAILED');
    });

    it('still records a Twilio status that does not move a message (read)', async () => {
      const params = { MessageSid: `SM${'4'.repeat(32)}`, MessageStatus: 'read' };
      await http()
        .post('/api/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', sign('/api/twilio/status', params))
        .send(params)
        .expect(204);
    });
  });

  describe('requests Node refuses before the app sees them', () => {
    async function expectContractAnswer(raw: string, status: number, code: string) {
      const res = await rawRequest(port, raw);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(res.body);
      expectErrorContract(body, code);
      expect(body.request_id).toBe(res.headers['x-request-id']);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    }

    it('answers a 20 KB header with 431 HEADERS_TOO_LARGE', async () => {
      await expectContractAnswer(
        `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      );
    });

    it('answers bad chunking on a send with 400 MALFORMED_REQUEST, and sends nothing', async () => {
      const before = await rows();
      await expectContractAnswer(
        'POST /api/sms/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `X-API-Key: ${TEST_API_KEY}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        400,
        'MALFORMED_REQUEST',
      );
      expect(await rows()).toBe(before);
    });

    it('answers both Content-Length and Transfer-Encoding with 400 MALFORMED_REQUEST', async () => {
      await expectContractAnswer(
        'POST /api/sms/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}',
        400,
        'MALFORMED_REQUEST',
      );
    });

    it('answers a request line that is not HTTP with 400 MALFORMED_REQUEST', async () => {
      await expectContractAnswer('HELLO THERE\r\n\r\n', 400, 'MALFORMED_REQUEST');
    });

    it('still serves the next connection', async () => {
      const res = await rawRequest(
        port,
        'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      );
      expect(res.status).toBe(200);
    });
  });
});
