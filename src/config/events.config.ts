import { registerAs } from '@nestjs/config';
import { ConfigError, readInt, readString, readUrl } from './env.js';

/** A Standard Webhooks secret: `whsec_` and base64 of at least 24 bytes. */
const SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

export const eventsConfig = registerAs('events', () => {
  const env = process.env;
  const url = readUrl(env, 'EVENTS_WEBHOOK_URL');
  const secret = readString(env, 'EVENTS_WEBHOOK_SECRET');
  if (url && !secret) {
    throw new ConfigError('EVENTS_WEBHOOK_SECRET', 'is required with EVENTS_WEBHOOK_URL');
  }
  if (secret && !SECRET.test(secret)) {
    throw new ConfigError(
      'EVENTS_WEBHOOK_SECRET',
      'must be a Standard Webhooks secret: whsec_ followed by base64 of 24 bytes or more',
    );
  }
  return {
    /** The clinic's endpoint; unset: no event is written or sent. */
    url,
    secret,
    /** How often each instance looks for events to deliver; 0 turns the worker off. */
    intervalMs: readInt(env, 'EVENTS_DELIVERY_INTERVAL_MS', 2000, { min: 0, max: 600_000 }),
    /** Events one poll claims at most. */
    batchSize: readInt(env, 'EVENTS_BATCH_SIZE', 20, { min: 1, max: 500 }),
    /** One attempt's time limit; a claim lasts longer, so no two attempts overlap. */
    timeoutMs: readInt(env, 'EVENTS_TIMEOUT_MS', 10_000, { min: 100, max: 60_000 }),
    /** The wait after the first failed attempt; it doubles after each one. */
    retryBaseMs: readInt(env, 'EVENTS_RETRY_BASE_MS', 5000, { min: 10, max: 3_600_000 }),
    /** The longest wait between two attempts. */
    retryCapMs: readInt(env, 'EVENTS_RETRY_CAP_MS', 3_600_000, { min: 10, max: 86_400_000 }),
    /** How long an event is retried before it is dead-lettered. */
    maxAgeMs: readInt(env, 'EVENTS_MAX_AGE_HOURS', 24, { min: 1, max: 168 }) * 3_600_000,
  };
});

export type EventsConfig = ReturnType<typeof eventsConfig>;
