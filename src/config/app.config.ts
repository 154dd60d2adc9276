import { registerAs } from '@nestjs/config';
import { isSupportedCountry } from 'libphonenumber-js/max';
import {
  ConfigError,
  isProduction,
  readBool,
  readInt,
  readList,
  readString,
  readUrl,
} from './env.js';

export const appConfig = registerAs('app', () => {
  const env = process.env;
  const defaultCountry = (readString(env, 'DEFAULT_COUNTRY', 'US') as string).toUpperCase();
  if (!isSupportedCountry(defaultCountry)) {
    throw new ConfigError(
      'DEFAULT_COUNTRY',
      `must be an ISO 3166 country code, got "${defaultCountry}"`,
    );
  }
  return {
    production: isProduction(env),
    host: readString(env, 'HOST', '0.0.0.0') as string,
    port: readInt(env, 'PORT', 3000, { min: 0, max: 65535 }),
    /** The URL Twilio and ElevenLabs reach this service at; used for callbacks and signatures. */
    publicBaseUrl: readUrl(env, 'PUBLIC_BASE_URL'),
    defaultCountry,
    docsEnabled: readBool(env, 'DOCS_ENABLED', true),
    /** Browser origins allowed to call the API. Empty: no CORS; agents call server to server. */
    corsOrigins: readList(env, 'CORS_ORIGINS', []),
    /** Express "trust proxy": hops of proxies whose X-Forwarded-For is believed. */
    trustProxy: readInt(env, 'TRUST_PROXY_HOPS', 0, { min: 0, max: 10 }),
    /** Every request answers within this, well inside ElevenLabs' 20 s default tool timeout. */
    requestDeadlineMs: readInt(env, 'REQUEST_DEADLINE_MS', 10_000, { min: 1000, max: 60_000 }),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 16 * 1024, { min: 1024, max: 1024 * 1024 }),
    /** Vapi and Retell send the whole call (transcript included) with each tool call. */
    platformBodyLimitBytes: readInt(env, 'PLATFORM_BODY_LIMIT_BYTES', 1024 * 1024, {
      min: 16 * 1024,
      max: 10 * 1024 * 1024,
    }),
  };
});

export type AppConfig = ReturnType<typeof appConfig>;
