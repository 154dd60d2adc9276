import { registerAs } from '@nestjs/config';
import { ConfigError, readBool, readInt, readString } from './env.js';

/** A line type lookup's list price at the provider when this was written (Twilio Lookup v2). */
export const DEFAULT_LOOKUP_PRICE = 0.008;

export const lineTypeConfig = registerAs('lineType', () => {
  const env = process.env;
  const rawPrice = readString(env, 'LINE_TYPE_LOOKUP_PRICE');
  if (rawPrice !== undefined && !/^\d{1,3}(\.\d{1,6})?$/.test(rawPrice)) {
    throw new ConfigError(
      'LINE_TYPE_LOOKUP_PRICE',
      `must be a price such as 0.008 (up to 6 decimals), got "${rawPrice}"`,
    );
  }
  return {
    /**
     * Looks a number's line type up before its first text. Unset: on with a provider that sends
     * for real and can look line types up, off with a simulated one (the sandbox).
     */
    enabled:
      readString(env, 'LINE_TYPE_CHECK') === undefined
        ? undefined
        : readBool(env, 'LINE_TYPE_CHECK', true),
    /** How long a number's line type is trusted before it is looked up again. */
    cacheTtlMs: readInt(env, 'LINE_TYPE_CACHE_DAYS', 30, { min: 1, max: 365 }) * 86_400_000,
    /** Non-fixed VoIP (app numbers such as Google Voice) usually receives texts. */
    allowNonFixedVoip: readBool(env, 'LINE_TYPE_ALLOW_NONFIXED_VOIP', true),
    /** When the lookup fails, send anyway (and audit it) rather than refuse. */
    failOpen: readBool(env, 'LINE_TYPE_FAIL_OPEN', true),
    /** What one lookup costs, for the preview's estimate (in SMS_PRICE_CURRENCY). */
    lookupPrice: rawPrice === undefined ? DEFAULT_LOOKUP_PRICE : Number(rawPrice),
  };
});

export type LineTypeConfig = ReturnType<typeof lineTypeConfig>;
