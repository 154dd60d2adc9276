import { registerAs } from '@nestjs/config';
import { ConfigError, readInt, readString } from './env.js';

const HOST = /^[A-Za-z0-9.:_-]{1,253}$/;

/**
 * Where GET /metrics is served. Without METRICS_PORT: on the main port, for API keys with the
 * admin scope. With it: on a separate plain-HTTP listener without a key, bound to METRICS_HOST,
 * and not on the main port at all.
 */
export const metricsConfig = registerAs('metrics', () => {
  const env = process.env;
  const port =
    readString(env, 'METRICS_PORT') === undefined
      ? undefined
      : readInt(env, 'METRICS_PORT', 0, { min: 0, max: 65535 });
  const host = readString(env, 'METRICS_HOST', '127.0.0.1') as string;
  if (!HOST.test(host)) {
    throw new ConfigError('METRICS_HOST', `must be a host name or an IP address, got "${host}"`);
  }
  // 0 asks the system for a free port (tests); any other value must not collide with PORT.
  if (port !== undefined && port !== 0 && port === readInt(env, 'PORT', 3000)) {
    throw new ConfigError('METRICS_PORT', 'must differ from PORT (leave it unset to use PORT)');
  }
  return {
    /** Port of the separate metrics listener; undefined serves /metrics on PORT (admin scope). */
    port,
    host,
  };
});
