import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SendSmsDto } from '../src/tools/dto/send-sms.dto.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { defineTool } from '../src/tools/tool-definition.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** A tool whose rendering fails unexpectedly: what a 500 looks like to a caller. */
const brokenTool = defineTool({
  name: 'send_broken',
  path: 'send-broken',
  summary: 'Always fails',
  description: 'Test only.',
  label: 'nothing',
  requestDto: SendSmsDto,
  template: '{{message}}',
  variables: ['message'],
  toVariables: () => {
    throw new Error('secret internal detail at /srv/internal-host-01/app.js:42');
  },
});

describe('HTTP hardening (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ tools: [...DEFAULT_TOOLS, brokenTool] });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('sends security headers and no framework banner', async () => {
    const res = await http().get('/api/sms/messages/6f1c2b9e-8a3d-4c5e-9f70-1a2b3c4d5e6f');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toContain('max-age');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('answers CORS preflights with no allowed origin by default', async () => {
    const res = await http()
      .options('/api/sms/send')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a method a route does not take with 404 in the error contract', async () => {
    const res = await http().get('/api/sms/send').set('X-API-Key', TEST_API_KEY).expect(404);
    expect(res.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers an unexpected failure with 500, an error id and no internals', async () => {
    const res = await http()
      .post('/api/sms/send-broken')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: 'Hi' })
      .expect(500);
    expect(res.body).toMatchObject({
      success: false,
      error: {
        code: 'INTERNAL_ERROR',
        retryable: true,
        error_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
      agent_message: expect.any(String),
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/secret internal detail|internal-host|app\.js|at \w+ \(/);
  });

  it('keeps a well-formed X-Request-Id from the caller and replaces a bad one', async () => {
    const kept = await http().get('/docs-json').set('X-Request-Id', 'call-1234abcd');
    expect(kept.headers['x-request-id']).toBe('call-1234abcd');
    const replaced = await http().get('/docs-json').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });
});

describe('CORS when CORS_ORIGINS is set (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { CORS_ORIGINS: 'https://console.example-health.org' } });
  });
  afterAll(() => app.close());

  it('allows only the configured origin', async () => {
    const allowed = await request(app.getHttpServer())
      .options('/api/sms/send')
      .set('Origin', 'https://console.example-health.org')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe(
      'https://console.example-health.org',
    );
    const other = await request(app.getHttpServer())
      .options('/api/sms/send')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
