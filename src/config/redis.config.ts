import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from './env.js';

export const redisConfig = registerAs('redis', () => {
  const url = readString(process.env, 'REDIS_URL');
  if (url && !/^rediss?:\/\//.test(url))
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return {
    /** Shared state for several instances (rate limits); unset keeps it in this process's memory. */
    url,
    /** Key prefix, so several deployments can share one Redis. */
    keyPrefix: readString(process.env, 'REDIS_KEY_PREFIX', 'sms-gateway:') as string,
  };
});
