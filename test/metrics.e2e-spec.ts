import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { MetricsListener } from '../src/metrics/metrics.listener.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

describe('GET /metrics on the main port (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const scrape = () =>
    request(app.getHttpServer()).get('/metrics').set('X-API-Key', TEST_ADMIN_KEY).expect(200);

  it('answers 401 without an API key', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('answers 403 to a key without the admin scope', async () => {
    const res = await request(app.getHttpServer())
      .get('/metrics')
      .set('X-API-Key', TEST_API_KEY)
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('serves the Prometheus text format to an admin key', async () => {
    const res = await scrape();
    expect(res.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(res.text).toContain('# TYPE http_requests_total counter');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toContain('# TYPE sms_sends_total counter');
    expect(res.text).toContain('# TYPE sms_provider_request_duration_seconds histogram');
    expect(res.text).toContain('sms_provider_breaker_state 0');
    expect(res.text).toContain('# TYPE rate_limit_rejections_total counter');
    expect(res.text).toContain('# TYPE audit_append_duration_seconds histogram');
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('labels requests with the route template, never the id in the URL', async () => {
    const id = randomUUID();
    await request(app.getHttpServer())
      .get(`/api/sms/messages/${id}`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(404);

    const { text } = await scrape();
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\/api\/sms\/messages\/:id",status_code="404"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/api\/sms\/messages\/:id",status_code="404"\} 1$/m,
    );
    expect(text).not.toContain(id);
  });

  it('counts requests refused by the auth guard and requests that match no route', async () => {
    await request(app.getHttpServer()).get('/api/sms/messages/not-a-uuid').expect(401);
    await request(app.getHttpServer()).get(`/no/such/route/${randomUUID()}`).expect(404);

    const { text } = await scrape();
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\/api\/sms\/messages\/:id",status_code="401"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\/metrics",status_code="401"\} \d+$/m,
    );
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="unmatched",status_code="404"\} 1$/m,
    );
    expect(text).not.toContain('/no/such/route');
  });

  it('counts bodies refused before routing under the unmatched route', async () => {
    await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);

    const { text } = await scrape();
    expect(text).toMatch(
      /^http_requests_total\{method="POST",route="unmatched",status_code="415"\} 1$/m,
    );
  });

  it('serves what the send path records: sends, transport latency, breaker state, audit appends', async () => {
    await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message: 'Counted once' })
      .expect(201);

    const { text } = await scrape();
    expect(text).toContain('sms_sends_total{tool="send_sms",outcome="sent"} 1');
    expect(text).toContain('sms_provider_request_duration_seconds_count{outcome="success"} 1');
    expect(text).toContain('sms_provider_breaker_state 0');
    const appends = /audit_append_duration_seconds_count (\d+)/.exec(text);
    // requested + sent for the send, and the 401/403 scrapes' auth.denied events.
    expect(Number(appends?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('is documented in the OpenAPI document as admin-only text', async () => {
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const operation = doc.paths['/metrics'].get;
    expect(operation.operationId).toBe('get_metrics');
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(Object.keys(operation.responses['200'].content)).toEqual([PROMETHEUS_TEXT]);
  });
});

describe('GET /metrics with METRICS_PORT (e2e)', () => {
  let app: INestApplication;
  let metricsUrl: string;
  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } });
    const address = app.get(MetricsListener).address();
    if (!address) throw new Error('the metrics listener is not running');
    metricsUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => app.close());

  it('is not served on the main port, even to an admin key', async () => {
    await request(app.getHttpServer()).get('/metrics').set('X-API-Key', TEST_ADMIN_KEY).expect(404);
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(doc.paths['/metrics']).toBeUndefined();
  });

  it('is served on the metrics port without a key, with the main port traffic', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);

    const res = await request(metricsUrl).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(res.text).toMatch(
      /^http_requests_total\{method="GET",route="\/health\/live",status_code="200"\} 1$/m,
    );
    expect(res.text).toContain('# TYPE sms_sends_total counter');
  });

  it('serves nothing else on the metrics port', async () => {
    await request(metricsUrl).get('/health/live').expect(404);
    await request(metricsUrl).post('/metrics').expect(405);
  });

  it('closes the metrics port with the app', async () => {
    const other = await createTestApp({ env: { METRICS_PORT: '0' } });
    const port = other.get(MetricsListener).address()?.port;
    await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);

    await other.close();

    expect(other.get(MetricsListener).address()).toBeUndefined();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});

describe('metrics settings (e2e)', () => {
  it('refuses to boot when the metrics port is taken, naming METRICS_PORT', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      await expect(createTestApp({ env: { METRICS_PORT: String(port) } })).rejects.toThrow(
        `The metrics listener (METRICS_PORT) cannot start: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('refuses to boot with a bad METRICS_PORT, naming it', async () => {
    await expect(createTestApp({ env: { METRICS_PORT: 'nine' } })).rejects.toThrow(
      'Invalid configuration: METRICS_PORT must be a whole number, got "nine"',
    );
  });
});
