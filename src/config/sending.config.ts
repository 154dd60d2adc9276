import { registerAs } from '@nestjs/config';
import { ConfigError, readInt, readString } from './env.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** "600", "600s", "10m", "1h" -> milliseconds. */
function readDuration(name: string, fallback: string): number {
  const raw = (readString(process.env, name, fallback) as string).toLowerCase();
  const match = /^(\d+)\s*(s|m|h)?$/.exec(raw);
  if (!match)
    throw new ConfigError(name, `must be a duration such as 600, 90s, 10m or 1h, got "${raw}"`);
  return Number(match[1]) * UNIT_MS[match[2] ?? 's'];
}

const ATTEMPTS = { min: 1, max: 6 };
const BASE_MS = { min: 10, max: 5000 };
const CAP_MS = { min: 10, max: 10_000 };

export const sendingConfig = registerAs('sending', () => {
  const env = process.env;
  return {
    /** Appended to the first text a number ever gets, e.g. "Reply STOP to opt out."; empty: none. */
    firstTextFooter: readString(env, 'FIRST_TEXT_FOOTER', '') as string,
    /** Same key, tool, recipient and text within this window is sent once; 0 turns it off. */
    dedupeWindowMs: readDuration('DEDUPE_WINDOW', '10m'),
    /** How long an Idempotency-Key is remembered (24 hours at least, per the IETF draft's advice). */
    idempotencyTtlMs:
      readInt(env, 'IDEMPOTENCY_TTL_HOURS', 24, { min: 24, max: 24 * 30 }) * 3_600_000,
    /** How often unsettled sends are looked up at the provider; 0 turns it off. */
    reconcileIntervalMs: readInt(env, 'RECONCILE_INTERVAL_MS', 60_000, { min: 0, max: 3_600_000 }),
    // The TWILIO_* names came first and are still read when the PROVIDER_* ones are unset.
    /** Attempts of one provider send, counting the first; only certain non-sends are retried. */
    maxAttempts: readInt(
      env,
      'PROVIDER_MAX_ATTEMPTS',
      readInt(env, 'TWILIO_MAX_ATTEMPTS', 3, ATTEMPTS),
      ATTEMPTS,
    ),
    retryBaseMs: readInt(
      env,
      'PROVIDER_RETRY_BASE_MS',
      readInt(env, 'TWILIO_RETRY_BASE_MS', 200, BASE_MS),
      BASE_MS,
    ),
    retryCapMs: readInt(
      env,
      'PROVIDER_RETRY_CAP_MS',
      readInt(env, 'TWILIO_RETRY_CAP_MS', 2000, CAP_MS),
      CAP_MS,
    ),
    breaker: {
      /** Failures (outages, unknown outcomes) in the rolling window that open the breaker, in percent. */
      errorThresholdPercentage: readInt(env, 'BREAKER_ERROR_PERCENT', 50, { min: 1, max: 100 }),
      /** Calls in the window before the breaker may open. */
      volumeThreshold: readInt(env, 'BREAKER_MIN_CALLS', 5, { min: 1, max: 1000 }),
      /** How long it stays open before one trial call (half-open). */
      resetTimeout: readInt(env, 'BREAKER_RESET_MS', 15_000, { min: 100, max: 600_000 }),
      rollingCountTimeout: readInt(env, 'BREAKER_WINDOW_MS', 30_000, { min: 1000, max: 600_000 }),
    },
  };
});
