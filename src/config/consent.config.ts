import { registerAs } from '@nestjs/config';
import { ConfigError, readBool, readString } from './env.js';

/** Two GSM-7 segments: a confirmation is one short text, sent within Twilio's webhook answer. */
const MAX_REPLY_LENGTH = 306;

function readReply(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = readString(env, name, fallback) as string;
  if (text.length > MAX_REPLY_LENGTH) {
    throw new ConfigError(name, `must be at most ${MAX_REPLY_LENGTH} characters (two texts)`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) {
    throw new ConfigError(name, 'must not contain control characters');
  }
  return text;
}

/** The language the replies are written in, as the audit log records it for each reply. */
function readReplyLanguage(env: NodeJS.ProcessEnv): string {
  const tag = readString(env, 'CONSENT_REPLY_LANGUAGE', 'en') as string;
  if (!/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?$/.test(tag)) {
    throw new ConfigError('CONSENT_REPLY_LANGUAGE', 'must be a language tag such as en or es-MX');
  }
  return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0];
}

export const consentConfig = registerAs('consent', () => {
  const env = process.env;
  return {
    /**
     * Twilio already answers STOP/START/HELP (Advanced Opt-Out on the Messaging Service): the
     * inbound webhook still records the change but answers with an empty <Response/>.
     */
    advancedOptOut: readBool(env, 'TWILIO_ADVANCED_OPT_OUT', false),
    /** The one confirmation FCC 24-24 allows after a revocation: no marketing. */
    optOutReply: readReply(
      env,
      'CONSENT_OPT_OUT_REPLY',
      "You're unsubscribed and will get no more texts from us. Reply START to resubscribe.",
    ),
    optInReply: readReply(
      env,
      'CONSENT_OPT_IN_REPLY',
      "You're resubscribed and will get texts from us again. Reply STOP to unsubscribe, HELP for help.",
    ),
    /** Carriers expect the program name and a contact here: deployments should set their own. */
    helpReply: readReply(
      env,
      'CONSENT_HELP_REPLY',
      'Texts from your healthcare team about appointments and prescriptions. Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.',
    ),
    /** Asked once per number when a reply may mean "stop" but says more (inbound/). */
    clarifyReply: readReply(
      env,
      'CONSENT_CLARIFY_REPLY',
      'Did you mean to stop texts from us? Reply STOP to stop all texts. Other replies reach your healthcare team.',
    ),
    replyLanguage: readReplyLanguage(env),
  };
});
