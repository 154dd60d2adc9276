import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { sign as retellSign } from 'retell-sdk';
import request from 'supertest';
import { vapiSignature } from '../src/agents/vapi/vapi-secret.guard.js';
import { maskNumbers, loggableUrl } from '../src/logging/redaction.js';
import { BASE_TEST_ENV, createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';
import { PLATFORM_KEYS, RETELL_KEY, VAPI_KEY } from './support/voice-platforms.js';

const NUMBER = '+12025550143';
const TEXT = 'Your biopsy results are ready, call Dr. Patel';

describe('logs never hold a number, a text or a key (e2e)', () => {
  let app: INestApplication;
  let lines: string[];
  let spy: ReturnType<typeof jest.spyOn>;

  beforeAll(async () => {
    lines = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    app = await createTestApp({ env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await app.close();
    spy.mockRestore();
  });

  it('logs each request as JSON with its id, and redacts the rest', async () => {
    const sent = await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('X-Request-Id', 'log-check-0001')
      .send({ phone_number: NUMBER, message: TEXT })
      .expect(201);
    await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+1 202 555 0143', message: `${TEXT} bit.ly/x` })
      .expect(422);
    await request(app.getHttpServer())
      .get(`/api/audit/events?recipient=${encodeURIComponent(NUMBER)}`)
      .set('X-API-Key', TEST_ADMIN_KEY);
    await request(app.getHttpServer())
      .get(`/api/sms/messages/${sent.body.message_id}`)
      .set('X-API-Key', 'wrong-key-but-long-enough-000000');

    const all = lines.join('');
    const requestLines = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(requestLines.some((l) => l.requestId === 'log-check-0001')).toBe(true);
    expect(all).toContain('[redacted]');
    for (const secret of [
      TEST_API_KEY,
      TEST_ADMIN_KEY,
      'wrong-key-but-long-enough-000000',
      TEXT,
      '2025550143',
      '202 555 0143',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe("logs never hold a way in's secret or a percent-encoded number (e2e)", () => {
  const VAPI_SERVER_SECRET = 'vapi-server-secret-0123456789abcdef';
  const VAPI_HMAC_SECRET = 'vapi-hmac-secret-0123456789abcdef';
  const RETELL_API_KEY = 'key_retell_logs_0123456789abcdef';
  let app: INestApplication;
  let lines: string[];
  let spy: ReturnType<typeof jest.spyOn>;

  beforeAll(async () => {
    lines = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    app = await createTestApp({
      env: {
        LOG_LEVEL: 'trace',
        API_KEYS: `${BASE_TEST_ENV.API_KEYS},${PLATFORM_KEYS}`,
        VAPI_SERVER_SECRET,
        VAPI_HMAC_SECRET,
        RETELL_API_KEY,
      },
    });
  });
  afterAll(async () => {
    await app.close();
    spy.mockRestore();
  });

  it("redacts Vapi's secret and signature, Retell's signature, and numbers in encoded paths", async () => {
    const http = () => request(app.getHttpServer());
    const vapiBody = JSON.stringify({ message: { type: 'tool-calls', toolCallList: [] } });
    const vapiHmac = vapiSignature(VAPI_HMAC_SECRET, '1764000000', vapiBody);
    await http()
      .post('/api/vapi/tool-calls')
      .set('Authorization', `Bearer ${VAPI_KEY}`)
      .set('X-Vapi-Secret', VAPI_SERVER_SECRET)
      .set('x-timestamp', '1764000000')
      .set('x-signature', vapiHmac)
      .type('json')
      .send(vapiBody);
    const retellBody = JSON.stringify({ name: 'send_sms', call: {}, args: {} });
    const retellSignature = await retellSign(retellBody, RETELL_API_KEY);
    await http()
      .post('/api/retell/custom-function')
      .set('X-API-Key', RETELL_KEY)
      .set('x-retell-signature', retellSignature)
      .type('json')
      .send(retellBody);
    for (const path of ['%2B1%20202%20555%200143', '%28202%29%20555%200177']) {
      await http().get(`/api/consent/${path}`).set('X-API-Key', TEST_ADMIN_KEY).expect(200);
    }

    const all = lines.join('');
    expect(all).toContain('/api/consent/[number]');
    for (const secret of [
      VAPI_SERVER_SECRET,
      vapiHmac,
      retellSignature,
      '%2B1%20202%20555%200143',
      '555%200177',
      '2025550143',
      '202 555 0143',
      '555 0177',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('log redaction helpers', () => {
  it('keeps query names and drops their values', () => {
    expect(loggableUrl('/api/audit/events?recipient=%2B12025550143&limit=5')).toBe(
      '/api/audit/events?recipient=[redacted]&limit=[redacted]',
    );
  });

  it('masks numbers in free text to the last four digits', () => {
    expect(maskNumbers('insert failed for +1 (202) 555-0143 at row 7')).toBe(
      'insert failed for ***0143 at row 7',
    );
  });
});
