import { registerAs } from '@nestjs/config';
import { ConfigError, readInt, readString, readUrl } from '../../config/env.js';

export const twilioConfig = registerAs('twilio', () => {
  const env = process.env;
  const accountSid = readString(env, 'TWILIO_ACCOUNT_SID');
  const authToken = readString(env, 'TWILIO_AUTH_TOKEN');
  const fromNumber = readString(env, 'TWILIO_PHONE_NUMBER');
  const messagingServiceSid = readString(env, 'TWILIO_MESSAGING_SERVICE_SID');
  const enabled = Boolean(accountSid && authToken);
  const publicBaseUrl = readUrl(env, 'PUBLIC_BASE_URL');

  if (Boolean(accountSid) !== Boolean(authToken)) {
    throw new ConfigError(
      accountSid ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID',
      'must be set together with the other Twilio credential',
    );
  }
  if (enabled && !fromNumber && !messagingServiceSid) {
    throw new ConfigError(
      'TWILIO_PHONE_NUMBER',
      'or TWILIO_MESSAGING_SERVICE_SID is required to send through Twilio',
    );
  }
  if (accountSid && !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new ConfigError('TWILIO_ACCOUNT_SID', 'must look like AC followed by 32 hex characters');
  }
  if (messagingServiceSid && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
    throw new ConfigError(
      'TWILIO_MESSAGING_SERVICE_SID',
      'must look like MG followed by 32 hex characters',
    );
  }

  return {
    enabled,
    accountSid,
    authToken,
    fromNumber,
    messagingServiceSid,
    /** Lets the SDK talk to a local stub of the Twilio API (tests, benchmarks). */
    apiBaseUrl: readUrl(env, 'TWILIO_API_BASE_URL'),
    /** Where Twilio posts delivery status: the service's own webhook, when it has a public URL. */
    statusCallbackUrl: publicBaseUrl ? `${publicBaseUrl}/api/twilio/status` : undefined,
    /** Below the agent's 20 s tool timeout, with room to answer. */
    timeoutMs: readInt(env, 'TWILIO_TIMEOUT_MS', 8000, { min: 500, max: 15000 }),
  };
});

export type TwilioConfig = ReturnType<typeof twilioConfig>;
