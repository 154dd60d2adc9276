import { maskPhone } from '../../common/mask.js';
import { defineProvider } from '../provider-registration.js';
import { twilioChecks } from './doctor/twilio-checks.js';
import { TwilioAccountReader } from './twilio-account.js';
import { twilioConfig, type TwilioConfig } from './twilio.config.js';
import { TwilioProvider } from './twilio.provider.js';
import { TwilioWebhooksModule } from './webhooks/twilio-webhooks.module.js';

/** The sender masked and the Messaging Service shortened: the banner shows no full number. */
export function describeTwilio(twilio: TwilioConfig): string {
  const from = twilio.fromNumber ? `from ${maskPhone(twilio.fromNumber)}` : '';
  const service = twilio.messagingServiceSid
    ? `Messaging Service MG…${twilio.messagingServiceSid.slice(-4)}`
    : '';
  return `Twilio, ${[from, service].filter(Boolean).join(' via ')}`;
}

export const twilioProvider = defineProvider({
  name: 'twilio',
  config: twilioConfig,
  credentials: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  isConfigured: (config) => config.enabled,
  create: (config) => new TwilioProvider(config),
  // Delivery statuses and replies; mounted whichever provider sends, so they always answer.
  mounts: { imports: [TwilioWebhooksModule] },
  attemptBudgetMs: (config) => config.timeoutMs,
  describe: describeTwilio,
  doctor: {
    checks: (config, { publicBaseUrl }) =>
      twilioChecks(config, publicBaseUrl, new TwilioAccountReader(config)),
    publicUrl: {
      needed: true,
      unsetDetail:
        'Twilio cannot post delivery statuses or replies, ElevenLabs cannot reach the tools',
    },
  },
});
