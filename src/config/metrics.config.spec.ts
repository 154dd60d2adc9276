import { ConfigError } from './env.js';
import { metricsConfig } from './metrics.config.js';

describe('metricsConfig', () => {
  const original = process.env;
  beforeEach(() => {
    process.env = { ...original };
    delete process.env.METRICS_PORT;
    delete process.env.METRICS_HOST;
    delete process.env.PORT;
  });
  afterEach(() => {
    process.env = original;
  });

  it('serves /metrics on the main port by default, and would bind to loopback', () => {
    expect(metricsConfig()).toEqual({ port: undefined, host: '127.0.0.1' });
  });

  it('reads a separate port and host', () => {
    process.env.METRICS_PORT = '9464';
    process.env.METRICS_HOST = '0.0.0.0';

    expect(metricsConfig()).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it('takes port 0 (a free port) even next to the default PORT', () => {
    process.env.METRICS_PORT = '0';

    expect(metricsConfig().port).toBe(0);
  });

  it.each([
    ['METRICS_PORT', 'nine', 'METRICS_PORT must be a whole number, got "nine"'],
    ['METRICS_PORT', '70000', 'METRICS_PORT must be between 0 and 65535'],
    ['METRICS_PORT', '3000', 'METRICS_PORT must differ from PORT (leave it unset to use PORT)'],
    [
      'METRICS_HOST',
      'http://x',
      'METRICS_HOST must be a host name or an IP address, got "http://x"',
    ],
  ])('refuses %s=%s', (name, value, problem) => {
    process.env.METRICS_PORT = '9464';
    process.env[name] = value;

    expect(() => metricsConfig()).toThrow(new ConfigError(name, problem.slice(name.length + 1)));
  });
});
