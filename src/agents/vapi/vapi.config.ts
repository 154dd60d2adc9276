import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from '../../config/env.js';

const MIN_SECRET_LENGTH = 16;

function readSecret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = readString(env, name);
  if (value !== undefined && (value.length < MIN_SECRET_LENGTH || /\s/.test(value))) {
    throw new ConfigError(name, `must be at least ${MIN_SECRET_LENGTH} characters, without spaces`);
  }
  return value;
}

/**
 * What Vapi's server messages must carry besides our API key, each only when set: the
 * X-Vapi-Secret header (a Vapi credential with that header name), and an HMAC signature
 * (a Vapi HMAC credential with its default settings, see docs/PLATFORMS.md).
 */
export const vapiConfig = registerAs('vapi', () => {
  const env = process.env;
  return {
    serverSecret: readSecret(env, 'VAPI_SERVER_SECRET'),
    hmacSecret: readSecret(env, 'VAPI_HMAC_SECRET'),
  };
});
