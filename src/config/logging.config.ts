import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from './env.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const loggingConfig = registerAs('logging', () => {
  const level = (readString(process.env, 'LOG_LEVEL', 'info') as string).toLowerCase();
  if (!LEVELS.includes(level))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`);
  return { level };
});
