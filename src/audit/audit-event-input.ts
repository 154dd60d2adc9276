import type { RecipientHasher } from '../common/recipient-hasher.js';
import { maskPhone } from '../common/mask.js';
import { maskNumbers } from '../logging/redaction.js';
import { canonicalJson, type ChainedEvent } from './audit-chain.js';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  type AuditDetails,
  type AuditEventInput,
  type AuditJson,
} from './audit-event.js';

const MAX_DETAILS_LENGTH = 4096;
const E164 = /^\+[1-9]\d{1,14}$/;
/** A phone number anywhere in a string, e.g. Twilio's "whatsapp:+12025550143". */
const PHONE_IN_TEXT = /\+[1-9]\d{6,14}/;
/**
 * Detail keys that hold free text (an admin's reason, a refused path): numbers in them are
 * masked as the logs mask them, so a careless reason or a probing URL is still recorded.
 */
const FREE_TEXT_DETAIL_KEYS = new Set(['reason', 'route', 'routes']);
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
  const sanitized = (value: AuditJson, path: string, key?: string): AuditJson => {
    if (typeof value === 'string') {
      if (key !== undefined && FREE_TEXT_DETAIL_KEYS.has(key.toLowerCase())) {
        return maskNumbers(value);
      }
      if (PHONE_IN_TEXT.test(value)) {
        throw new InvalidAuditEventError(`Audit details ${path} looks like a phone number`);
      }
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((inner, i) => sanitized(inner, `${path}.${i}`, key));
    }
    // (A Date is not AuditJson, but canonicalJson has always written one as its ISO string.)
    if (value === null || typeof value !== 'object' || (value as unknown) instanceof Date) {
      return value;
    }
    const entries = Object.entries(value).map(([inner, innerValue]) => {
      if (FORBIDDEN_DETAIL_KEYS.has(inner.toLowerCase())) {
        throw new InvalidAuditEventError(
          `Audit details may not hold "${inner}": no message text or numbers (use body_sha256)`,
        );
      }
      return [inner, sanitized(innerValue, `${path}.${inner}`, inner)] as const;
    });
    return Object.fromEntries(entries);
  };
  const text = canonicalJson(sanitized(details, 'details'));
  if (text.length > MAX_DETAILS_LENGTH) {
    throw new InvalidAuditEventError(`Audit details are over ${MAX_DETAILS_LENGTH} characters`);
  }
  return text;
}
