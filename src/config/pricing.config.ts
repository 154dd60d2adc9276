import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from './env.js';

/** A US SMS segment at Twilio's list price when this was written; prices change, so set your own. */
export const DEFAULT_PRICE_PER_SEGMENT = 0.0079;

export const pricingConfig = registerAs('pricing', () => {
  const env = process.env;
  const rawPrice = readString(env, 'SMS_PRICE_PER_SEGMENT');
  if (rawPrice !== undefined && !/^\d{1,3}(\.\d{1,6})?$/.test(rawPrice)) {
    throw new ConfigError(
      'SMS_PRICE_PER_SEGMENT',
      `must be a price such as 0.0079 (up to 6 decimals), got "${rawPrice}"`,
    );
  }
  const currency = (readString(env, 'SMS_PRICE_CURRENCY', 'USD') as string).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new ConfigError(
      'SMS_PRICE_CURRENCY',
      `must be an ISO 4217 code such as USD, got "${currency}"`,
    );
  }
  return {
    /** What one SMS segment costs, for the estimate POST /api/sms/preview gives. */
    perSegment: rawPrice === undefined ? DEFAULT_PRICE_PER_SEGMENT : Number(rawPrice),
    currency,
  };
});

export type PricingConfig = ReturnType<typeof pricingConfig>;
