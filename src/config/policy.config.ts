import { registerAs } from '@nestjs/config';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { ConfigError, readList, readString } from './env.js';

export const RECIPIENT_POLICIES = ['any', 'caller_only'] as const;
export type RecipientPolicyMode = (typeof RECIPIENT_POLICIES)[number];

/** The host the setup guide's copay examples use; deployments list their own. */
export const DEFAULT_LINK_HOSTS = ['copay.example.com'];

export const policyConfig = registerAs('policy', () => {
  const env = process.env;
  const allowedCountries = readList(env, 'ALLOWED_COUNTRIES', ['US']).map((c) => c.toUpperCase());
  for (const country of allowedCountries) {
    if (!isSupportedCountry(country)) {
      throw new ConfigError(
        'ALLOWED_COUNTRIES',
        `holds "${country}", which is not an ISO 3166 country code`,
      );
    }
  }
  const recipientPolicy = (readString(env, 'RECIPIENT_POLICY', 'any') as string).toLowerCase();
  if (!(RECIPIENT_POLICIES as readonly string[]).includes(recipientPolicy)) {
    throw new ConfigError('RECIPIENT_POLICY', `must be one of ${RECIPIENT_POLICIES.join(', ')}`);
  }
  const linkAllowedHosts = readList(env, 'LINK_ALLOWED_HOSTS', DEFAULT_LINK_HOSTS).map((h) =>
    h.toLowerCase(),
  );
  for (const host of linkAllowedHosts) {
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(host)) {
      throw new ConfigError('LINK_ALLOWED_HOSTS', `holds "${host}", which is not a host name`);
    }
  }
  return {
    allowedCountries: allowedCountries as CountryCode[],
    /** caller_only: the recipient must be the caller of the conversation (system__caller_id). */
    recipientPolicy: recipientPolicy as RecipientPolicyMode,
    /** Numbers never to text, as written in RECIPIENT_DENY_LIST; normalised by the policy at boot. */
    denyList: readList(env, 'RECIPIENT_DENY_LIST', []),
    linkAllowedHosts,
    /** The clinic's own numbers a text may hold, as written in CALLBACK_NUMBERS; read by the text policy at boot. */
    callbackNumbers: readList(env, 'CALLBACK_NUMBERS', []),
  };
});
