import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { maskNumbers, loggableUrl } from '../src/logging/redaction.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

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
