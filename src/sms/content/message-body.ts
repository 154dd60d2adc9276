import { createHash } from 'node:crypto';
import { SegmentedMessage } from 'sms-segments-calculator';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';

/** Twilio refuses bodies over 1,600 characters. */
export const MAX_BODY_LENGTH = 1600;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface MessageBody {
  text: string;
  encoding: SmsEncoding;
  segments: number;
  sha256: string;
}

// C0 and C1 controls except tab and newline; they render as garbage or are dropped by carriers.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Normalises line breaks, turns tabs into spaces (not GSM-7), drops control characters. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL_CHARACTERS, '').trim();
}

/**
 * Turns rendered text into what is sent: sanitised, within Twilio's length limit, with the
 * encoding and segment count a carrier will bill (Twilio's own segment calculator).
 */
export function buildMessageBody(rendered: string): MessageBody {
  const text = sanitizeText(rendered);
  if (text.length === 0) {
    throw new DomainError(ErrorCode.MESSAGE_EMPTY, 'The message has no text after cleaning.', {
      agentMessage: "The message was empty, so I didn't send anything.",
    });
  }
  if (text.length > MAX_BODY_LENGTH) {
    throw new DomainError(
      ErrorCode.MESSAGE_TOO_LONG,
      `The message is ${text.length} characters; the limit is ${MAX_BODY_LENGTH}.`,
      {
        agentMessage: 'That message is too long to send as a text. Could you shorten it?',
        details: { length: text.length, max_length: MAX_BODY_LENGTH },
      },
    );
  }
  const segmented = new SegmentedMessage(text, 'auto');
  return {
    text,
    encoding: segmented.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2',
    segments: segmented.segmentsCount,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}
