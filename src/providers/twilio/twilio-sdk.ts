import type twilio from 'twilio';
import type { TwilioConfig } from '../../config/twilio.config.js';

type ClientModule = typeof import('./twilio-http-client.js');

let clientModule: Promise<ClientModule> | undefined;

/**
 * A Twilio client, with the SDK loaded on the first call to Twilio rather than at boot: the SDK
 * and what it requires (axios, xmlbuilder, jsonwebtoken...) are a sizeable share of boot time
 * and memory, and a service without Twilio never needs them. A failed load is not kept, so the
 * next call tries again.
 */
export async function loadTwilioClient(
  config: Pick<TwilioConfig, 'accountSid' | 'authToken' | 'apiBaseUrl' | 'timeoutMs'>,
): Promise<twilio.Twilio> {
  clientModule ??= import('./twilio-http-client.js').catch((error: unknown) => {
    clientModule = undefined;
    throw error;
  });
  return (await clientModule).createTwilioClient(config);
}
