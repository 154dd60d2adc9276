import type twilio from 'twilio';
import { onFirstUse } from '../../common/on-first-use.js';
import type { TwilioConfig } from './twilio.config.js';

const clientModule = onFirstUse(() => import('./twilio-http-client.js'));

/**
 * A Twilio client, with the SDK loaded on the first call to Twilio rather than at boot: the SDK
 * and what it requires (axios, xmlbuilder, jsonwebtoken...) are a sizeable share of boot time
 * and memory, and a service without Twilio never needs them.
 */
export async function loadTwilioClient(
  config: Pick<TwilioConfig, 'accountSid' | 'authToken' | 'apiBaseUrl' | 'timeoutMs'>,
): Promise<twilio.Twilio> {
  return (await clientModule()).createTwilioClient(config);
}
