import { DomainError } from '../../../common/errors/domain-error.js';
import { ErrorCode } from '../../../common/errors/error-codes.js';

/** The fields of Twilio's status callback this service reads, checked (it posts many more). */
export interface StatusCallback {
  MessageSid?: string;
  MessageStatus: string;
  ErrorCode?: string;
}

/** Every MessageStatus Twilio's API defines (Message.status in api v2010). */
export const TWILIO_MESSAGE_STATUSES = new Set([
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
]);

const SID = /^(SM|MM)[0-9a-f]{32}$/i;
const TWILIO_ERROR_CODE = /^\d{1,6}$/;

function invalid(field: string, problem: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `${field} ${problem}.`, {
    details: { fields: [{ field, problems: [`${field} ${problem}`] }] },
    agentMessage: 'This request could not be processed.',
  });
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === '') return undefined;
  // A field sent twice arrives as an array.
  if (typeof value !== 'string') throw invalid(field, 'must be one string');
  return value;
}

/**
 * What Twilio sent is data from outside: a status, sid or error code outside what Twilio
 * defines is a 400, so nothing unexpected reaches the message row or the audit trail.
 */
export function parseStatusCallback(body: unknown): StatusCallback {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const status = optionalString(fields, 'MessageStatus')?.toLowerCase();
  if (!status) throw invalid('MessageStatus', 'is required');
  if (!TWILIO_MESSAGE_STATUSES.has(status))
    throw invalid('MessageStatus', 'is not a Twilio status');
  const sid = optionalString(fields, 'MessageSid');
  if (sid !== undefined && !SID.test(sid)) throw invalid('MessageSid', 'is not a message sid');
  const errorCode = optionalString(fields, 'ErrorCode');
  if (errorCode !== undefined && !TWILIO_ERROR_CODE.test(errorCode)) {
    throw invalid('ErrorCode', 'is not a Twilio error code');
  }
  return { MessageSid: sid, MessageStatus: status, ErrorCode: errorCode };
}
