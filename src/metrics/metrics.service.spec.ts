import { MetricsService } from './metrics.service.js';

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

async function samples(metrics: MetricsService, name: string): Promise<Sample[]> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values as Sample[];
}

async function valueOf(
  metrics: MetricsService,
  name: string,
  labels: Record<string, string> = {},
  sampleName = name,
): Promise<number | undefined> {
  const match = (await samples(metrics, name)).find(
    (s) =>
      (s.metricName ?? name) === sampleName &&
      Object.entries(labels).every(([k, v]) => String(s.labels[k]) === v),
  );
  return match?.value;
}

describe('MetricsService', () => {
  let metrics: MetricsService;
  beforeEach(() => {
    metrics = new MetricsService();
  });

  it('counts sends per tool and outcome', async () => {
    metrics.recordSend('send_sms', 'sent');
    metrics.recordSend('send_sms', 'sent');
    metrics.recordSend('send_copay_card', 'failed');

    expect(await valueOf(metrics, 'sms_sends_total', { tool: 'send_sms', outcome: 'sent' })).toBe(
      2,
    );
    expect(
      await valueOf(metrics, 'sms_sends_total', { tool: 'send_copay_card', outcome: 'failed' }),
    ).toBe(1);
    expect(
      await valueOf(metrics, 'sms_sends_total', { tool: 'send_sms', outcome: 'failed' }),
    ).toBeUndefined();
  });

  it('times Twilio calls per outcome in a histogram', async () => {
    metrics.observeProviderCall(0.2, 'accepted');
    metrics.observeProviderCall(3, 'accepted');
    metrics.observeProviderCall(9, 'timeout');

    const name = 'sms_provider_request_duration_seconds';
    expect(await valueOf(metrics, name, { outcome: 'accepted' }, `${name}_count`)).toBe(2);
    expect(await valueOf(metrics, name, { outcome: 'accepted' }, `${name}_sum`)).toBeCloseTo(3.2);
    expect(
      await valueOf(metrics, name, { outcome: 'accepted', le: '0.25' }, `${name}_bucket`),
    ).toBe(1);
    expect(await valueOf(metrics, name, { outcome: 'timeout', le: '8' }, `${name}_bucket`)).toBe(0);
    expect(await valueOf(metrics, name, { outcome: 'timeout', le: '15' }, `${name}_bucket`)).toBe(
      1,
    );
  });

  it.each([
    ['closed', 0],
    ['open', 1],
    ['half_open', 2],
  ] as const)('reports the breaker state %s as %d', async (state, value) => {
    metrics.setBreakerState('open');
    metrics.setBreakerState(state);

    expect(await valueOf(metrics, 'sms_provider_breaker_state')).toBe(value);
  });

  it('reports the breaker closed before anything is recorded', async () => {
    expect(await valueOf(metrics, 'sms_provider_breaker_state')).toBe(0);
  });

  it('counts rate-limit rejections per limit', async () => {
    metrics.recordRateLimited('per-key');
    metrics.recordRateLimited('per-recipient-10min');
    metrics.recordRateLimited('per-key');

    expect(await valueOf(metrics, 'rate_limit_rejections_total', { limit: 'per-key' })).toBe(2);
    expect(
      await valueOf(metrics, 'rate_limit_rejections_total', { limit: 'per-recipient-10min' }),
    ).toBe(1);
  });

  it('times audit appends', async () => {
    metrics.observeAuditAppend(0.0004);
    metrics.observeAuditAppend(0.03);

    const name = 'audit_append_duration_seconds';
    expect(await valueOf(metrics, name, {}, `${name}_count`)).toBe(2);
    expect(await valueOf(metrics, name, { le: '0.0005' }, `${name}_bucket`)).toBe(1);
    expect(await valueOf(metrics, name, { le: '0.05' }, `${name}_bucket`)).toBe(2);
  });

  it('counts and times HTTP requests per method, route template and status', async () => {
    metrics.observeHttpRequest('GET', '/api/sms/messages/:id', 404, 0.004);
    metrics.observeHttpRequest('GET', '/api/sms/messages/:id', 404, 0.006);
    metrics.observeHttpRequest('POST', '/api/sms/send', 201, 0.05);

    const labels = { method: 'GET', route: '/api/sms/messages/:id', status_code: '404' };
    expect(await valueOf(metrics, 'http_requests_total', labels)).toBe(2);
    const name = 'http_request_duration_seconds';
    expect(await valueOf(metrics, name, labels, `${name}_count`)).toBe(2);
    expect(await valueOf(metrics, name, { ...labels, le: '0.005' }, `${name}_bucket`)).toBe(1);
    expect(
      await valueOf(metrics, 'http_requests_total', {
        method: 'POST',
        route: '/api/sms/send',
        status_code: '201',
      }),
    ).toBe(1);
  });

  it('renders the Prometheus text format with the default Node metrics', async () => {
    metrics.recordSend('send_sms', 'sent');

    const text = await metrics.render();

    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toContain('# TYPE sms_sends_total counter');
    expect(text).toContain('sms_sends_total{tool="send_sms",outcome="sent"} 1');
    expect(text).toContain('# TYPE sms_provider_breaker_state gauge');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('keeps each instance in its own registry', async () => {
    const other = new MetricsService();
    metrics.recordSend('send_sms', 'sent');

    expect(
      await valueOf(other, 'sms_sends_total', { tool: 'send_sms', outcome: 'sent' }),
    ).toBeUndefined();
  });
});
