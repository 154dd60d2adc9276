import { registerAs } from '@nestjs/config';
import { ConfigError, isProduction, readInt, readString } from './env.js';

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
    /** Audit events older than this are removed by `npm run audit:purge` (HIPAA: six years). */
    retentionDays: readInt(env, 'AUDIT_RETENTION_DAYS', 2190, { min: 1, max: 36_500 }),
  };
});
