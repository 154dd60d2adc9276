import { registerAs } from '@nestjs/config';
import { ConfigError, isProduction, readInt, readString } from './env.js';

export const DEVELOPMENT_HASH_KEY = 'development-only-recipient-hash-key-do-not-use';
/**
 * HIPAA keeps documentation six years (45 CFR 164.316(b)(2)); six calendar years hold at most
 * two 29 Februaries, so 6 × 365 + 2 days always covers them.
 */
export const SIX_YEARS_DAYS = 2192;

export const auditConfig = registerAs('audit', () => {
  const env = process.env;
  const hashKey = readString(env, 'AUDIT_HASH_KEY');
  if (isProduction(env) && !hashKey) {
    throw new ConfigError('AUDIT_HASH_KEY', 'is required in production (32+ random characters)');
  }
  if (hashKey && hashKey.length < 32) {
    throw new ConfigError('AUDIT_HASH_KEY', 'must be at least 32 characters');
  }
  const retentionDays = readInt(env, 'AUDIT_RETENTION_DAYS', SIX_YEARS_DAYS, {
    min: 1,
    max: 36_500,
  });
  if (isProduction(env) && retentionDays < SIX_YEARS_DAYS) {
    throw new ConfigError(
      'AUDIT_RETENTION_DAYS',
      `must be at least ${SIX_YEARS_DAYS} (six calendar years) in production`,
    );
  }
  return {
    /** HMAC key for recipient hashes: finds one patient's records without storing numbers in clear. */
    hashKey: hashKey ?? DEVELOPMENT_HASH_KEY,
    /** Audit events older than this are removed by `npm run audit:purge` (HIPAA: six years). */
    retentionDays,
  };
});
