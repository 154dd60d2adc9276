import type { RecipientHasher } from '../common/recipient-hasher.js';
import { maskPhone } from '../common/mask.js';
import { canonicalJson, type ChainedEvent } from './audit-chain.js';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  type AuditDetails,
  type AuditEventInput,
} from './audit-event.js';

const MAX_DETAILS_LENGTH = 4096;
const E164 = /^\+[1-9]\d{1,14}$/;
/** A phone number anywhere in a string, e.g. Twilio's "whatsapp:+12025550143". */
const PHONE_IN_TEXT = /\+[1-9]\d{6,14}/;
/** Keys that would carry message text or a phone number into the audit trail. */
const FORBIDDEN_DETAIL_KEYS = new Set([
  'body',
  'text',
  'message',
  'message_text',
  'message_body',
  'phone',
  'phone_number',
  'recipient',
  'caller_id',
]);

/** A programming error in what was handed to append(): the caller must not go on unaudited. */
export class InvalidAuditEventError extends Error {
  override name = 'InvalidAuditEventError';
}

/** An event checked and ready to chain: what the caller said, never a number or a text. */
export type PreparedEvent = Omit<ChainedEvent, 'seq' | 'at' | 'prevHash' | 'keyId'>;

/** Checks an event and masks and hashes its recipient; throws InvalidAuditEventError. */
export function prepareAuditEvent(event: AuditEventInput, hasher: RecipientHasher): PreparedEvent {
  const invalid = (problem: string) => new InvalidAuditEventError(`Audit event ${problem}`);
  if (!(AUDIT_ACTIONS as readonly string[]).includes(event.action)) {
    throw invalid(`has an unknown action "${event.action}"`);
  }
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(event.outcome)) {
    throw invalid(`has an unknown outcome "${event.outcome}"`);
  }
  if (!event.actor || event.actor.length > 64) throw invalid('needs an actor of 1-64 characters');
  const limits = { messageId: 36, requestId: 128, conversationId: 128 } as const;
  for (const [field, max] of Object.entries(limits) as [keyof typeof limits, number][]) {
    if ((event[field]?.length ?? 0) > max) throw invalid(`has a ${field} over ${max} characters`);
  }
  if (event.recipient && !E164.test(event.recipient)) {
    throw invalid('needs the recipient in E.164 (+12025550143)');
  }
  return {
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
    messageId: event.messageId ?? null,
    recipientMasked: event.recipient ? maskPhone(event.recipient) : null,
    recipientHash: event.recipient ? hasher.hash(event.recipient) : null,
    requestId: event.requestId ?? null,
    conversationId: event.conversationId ?? null,
    details: event.details ? serializeDetails(event.details) : null,
  };
}

function serializeDetails(details: AuditDetails): string {
  const check = (value: unknown, path: string): void => {
    if (typeof value === 'string' && PHONE_IN_TEXT.test(value)) {
      throw new InvalidAuditEventError(`Audit details ${path} looks like a phone number`);
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (!Array.isArray(value) && FORBIDDEN_DETAIL_KEYS.has(key.toLowerCase())) {
          throw new InvalidAuditEventError(
            `Audit details may not hold "${key}": no message text or numbers (use body_sha256)`,
          );
        }
        check(inner, `${path}.${key}`);
      }
    }
  };
  check(details, 'details');
  const text = canonicalJson(details);
  if (text.length > MAX_DETAILS_LENGTH) {
    throw new InvalidAuditEventError(`Audit details are over ${MAX_DETAILS_LENGTH} characters`);
  }
  return text;
}
