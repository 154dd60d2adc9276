import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';

const AGENT_MESSAGES: Record<string, string> = {
  'per-key': "I'm sending too many texts right now. Let's try again in a minute.",
  'per-recipient-10min':
    "I've already sent several texts to this number recently, so I can't send another right now.",
  'per-recipient-day': "I've already sent the most texts allowed to this number today.",
  'per-conversation': "I've already sent as many texts as I can during this call.",
  'conversation-recipients': 'I can only text the numbers already used on this call.',
  'daily-send-cap':
    "We've reached today's texting limit, so I can't send this now. Our team can follow up.",
  'auth-failures': "I'm not able to send texts right now.",
};

/** 429 in the error contract, naming the limit that was hit and when to retry. */
export function rateLimited(limit: string, retryAfterSeconds: number): DomainError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new DomainError(
    ErrorCode.RATE_LIMITED,
    `Rate limit "${limit}" reached; retry after ${seconds} s.`,
    {
      status: HttpStatus.TOO_MANY_REQUESTS,
      retryable: true,
      agentMessage:
        AGENT_MESSAGES[limit] ?? "I'm sending too many texts right now. Let's try again later.",
      details: { limit, retry_after_seconds: seconds },
      headers: { 'Retry-After': String(seconds) },
    },
  );
}

/** The shared limit store (Redis) cannot be reached: refuse rather than send unthrottled. */
export function limiterUnavailable(cause: unknown): DomainError {
  return new DomainError(
    ErrorCode.RATE_LIMITER_UNAVAILABLE,
    'The rate-limit store is unavailable; nothing was sent.',
    {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      retryable: true,
      agentMessage:
        "I can't send texts right now because of a problem on our side. Let's try again in a minute.",
      headers: { 'Retry-After': '5' },
      cause,
    },
  );
}
