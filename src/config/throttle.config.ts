import { registerAs } from '@nestjs/config';
import { readInt } from './env.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Every limit is a count per window; 0 is not allowed, raise a limit instead of removing it. */
export const throttleConfig = registerAs('throttle', () => {
  const env = process.env;
  const count = (name: string, fallback: number) =>
    readInt(env, name, fallback, { min: 1, max: 10_000_000 });
  return {
    perKey: { limit: count('RATE_LIMIT_PER_KEY', 60), ttl: MINUTE },
    perRecipientShort: { limit: count('RATE_LIMIT_PER_RECIPIENT_10MIN', 5), ttl: 10 * MINUTE },
    perRecipientDay: { limit: count('RATE_LIMIT_PER_RECIPIENT_DAY', 20), ttl: DAY },
    perConversation: { limit: count('RATE_LIMIT_PER_CONVERSATION', 3), ttl: DAY },
    conversationRecipients: { limit: count('RATE_LIMIT_CONVERSATION_RECIPIENTS', 2), ttl: DAY },
    authFailuresPerIp: { limit: count('RATE_LIMIT_AUTH_FAILURES_PER_IP', 10), ttl: MINUTE },
    dailySendCap: { limit: count('DAILY_SEND_CAP', 1000), ttl: DAY },
  };
});
