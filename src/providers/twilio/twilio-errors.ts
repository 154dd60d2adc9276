import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { ProviderError } from '../provider-error.js';

/** Network failures that happen before a request can have reached Twilio. */
const NEVER_SENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const UNKNOWN_OUTCOME_AGENT_MESSAGE =
  "I couldn't confirm whether the text went through. Please don't ask me to send it again right now; our team will check it.";

interface Mapping {
  code: ErrorCode;
  status: HttpStatus;
  message: string;
  agentMessage: string;
  retryable?: boolean;
}

const BY_TWILIO_CODE: Record<number, Mapping> = {
  21211: {
    code: ErrorCode.INVALID_PHONE_NUMBER,
    status: HttpStatus.BAD_REQUEST,
    message: 'Twilio says the To number is not a valid phone number.',
    agentMessage: "That phone number doesn't look right. Could you say it again, digit by digit?",
  },
  21408: {
    code: ErrorCode.REGION_NOT_ENABLED,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    message: 'The Twilio account may not send to this region.',
    agentMessage: "I can't send texts to numbers in that country.",
  },
  21610: {
    code: ErrorCode.RECIPIENT_OPTED_OUT,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    message: 'The recipient has replied STOP to this sender.',
    agentMessage:
      "This number has opted out of texts, so I can't send it. I can give you the information by phone instead.",
  },
  21612: {
    code: ErrorCode.RECIPIENT_UNREACHABLE,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    message: 'Twilio cannot reach this number from the configured sender.',
    agentMessage: "I can't reach that number by text. Is there another mobile number I can use?",
  },
  21614: {
    code: ErrorCode.RECIPIENT_NOT_MOBILE,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    message: 'The To number is not a mobile number.',
    agentMessage: "That number doesn't seem to take texts. Is there a mobile number I can use?",
  },
  20003: {
    code: ErrorCode.PROVIDER_AUTH_FAILED,
    status: HttpStatus.BAD_GATEWAY,
    message: 'Twilio refused the configured credentials.',
    agentMessage: "I can't send texts right now because of a problem on our side.",
  },
  30450: {
    code: ErrorCode.PROVIDER_REJECTED,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    message: 'Twilio blocked the message (SMS pumping protection).',
    agentMessage: "I can't send a text to that number.",
  },
  30453: {
    code: ErrorCode.PROVIDER_REJECTED,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    message: 'Twilio blocked the message (SMS pumping protection).',
    agentMessage: "I can't send a text to that number.",
  },
};

const RATE_LIMITED: Mapping = {
  code: ErrorCode.PROVIDER_RATE_LIMITED,
  status: HttpStatus.SERVICE_UNAVAILABLE,
  message: 'Twilio is rate limiting this account.',
  agentMessage: "Our texting service is busy right now. Let's try again in a minute.",
  retryable: true,
};

function failed(m: Mapping, providerCode?: number): ProviderError {
  return new ProviderError(m.code, m.message, 'failed', {
    status: m.status,
    agentMessage: m.agentMessage,
    retryable: m.retryable ?? false,
    providerCode,
    details: providerCode ? { provider_code: providerCode } : undefined,
  });
}

function unknownOutcome(message: string, providerCode?: number): ProviderError {
  return new ProviderError(ErrorCode.DELIVERY_UNKNOWN, message, 'unknown', {
    status: HttpStatus.BAD_GATEWAY,
    agentMessage: UNKNOWN_OUTCOME_AGENT_MESSAGE,
    retryable: false,
    providerCode,
  });
}

/** An error answer from the Twilio API (HTTP status and Twilio's numeric code). */
export function fromTwilioApiError(
  httpStatus: number,
  twilioCode: number | undefined,
): ProviderError {
  if (twilioCode !== undefined && BY_TWILIO_CODE[twilioCode])
    return failed(BY_TWILIO_CODE[twilioCode], twilioCode);
  if (httpStatus === 429 || twilioCode === 20429) return failed(RATE_LIMITED, twilioCode ?? 20429);
  if (httpStatus >= 500) {
    // Twilio may have queued the message before failing to answer.
    return unknownOutcome(
      `Twilio answered HTTP ${httpStatus}; the message may have been accepted.`,
      twilioCode,
    );
  }
  return failed(
    {
      code: ErrorCode.PROVIDER_REJECTED,
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      message: `Twilio refused the message${twilioCode ? ` (code ${twilioCode})` : ''}.`,
      agentMessage: "I couldn't send that text.",
    },
    twilioCode,
  );
}

/** A failure below HTTP: did the request certainly not reach Twilio? */
export function fromNetworkError(networkCode: string | undefined): ProviderError {
  if (networkCode && NEVER_SENT_NETWORK_CODES.has(networkCode)) {
    return failed({
      code: ErrorCode.PROVIDER_UNAVAILABLE,
      status: HttpStatus.SERVICE_UNAVAILABLE,
      message: `Twilio could not be reached (${networkCode}).`,
      agentMessage: "Our texting service isn't reachable right now. Let's try again in a minute.",
      retryable: true,
    });
  }
  return unknownOutcome(
    `The connection to Twilio failed mid-request (${networkCode ?? 'no code'}); the message may have been accepted.`,
  );
}
