import { registerAs } from '@nestjs/config';
import { ConfigError, isProduction, readString } from './env.js';

const DEVELOPMENT_HASH_KEY = 'development-only-recipient-hash-key-do-not-use';

export const auditConfig = registerAs('audit', () => {
  const env = process.env;
  const hashKey = readString(env, 'AUDIT_HASH_KEY');
  if (isProduction(env) && !hashKey) {
    throw new ConfigError('AUDIT_HASH_KEY', 'is required in production (32+ random characters)');
  }
  if (hashKey && hashKey.length < 32) {
    throw new ConfigError('AUDIT_HASH_KEY', 'must be at least 32 characters');
  }
  return {
    /** HMAC key for recipient hashes: finds one patient's records without storing numbers in clear. */
    hashKey: hashKey ?? DEVELOPMENT_HASH_KEY,
  };
});
