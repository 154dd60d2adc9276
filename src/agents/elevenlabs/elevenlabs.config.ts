import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from '../../config/env.js';

export const DEFAULT_SECRET_NAME = 'agent-sms-gateway-api-key';

const SECRET_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * What the exported tools reference in the ElevenLabs workspace. The ElevenLabs API key itself
 * is never part of the service: only the sync command reads it.
 */
export const elevenlabsConfig = registerAs('elevenlabs', () => {
  const env = process.env;
  const secretName = readString(env, 'ELEVENLABS_SECRET_NAME', DEFAULT_SECRET_NAME) as string;
  if (!SECRET_NAME.test(secretName)) {
    throw new ConfigError('ELEVENLABS_SECRET_NAME', 'must be 1-128 of A-Z a-z 0-9 _ . -');
  }
  return {
    /** secret_id of the workspace secret holding our API key, when already known. */
    secretId: readString(env, 'ELEVENLABS_SECRET_ID'),
    /** Name the sync command gives that secret and finds it by. */
    secretName,
  };
});
