import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from '../../config/env.js';

/**
 * Retell signs each custom-function request with an API key of the workspace (the one with
 * the webhook badge). Without it the Retell way in refuses every request: it cannot tell
 * Retell from anyone else.
 */
export const retellConfig = registerAs('retell', () => {
  const apiKey = readString(process.env, 'RETELL_API_KEY');
  if (apiKey !== undefined && /\s/.test(apiKey)) {
    throw new ConfigError('RETELL_API_KEY', 'must not contain spaces');
  }
  return { apiKey };
});
