import type { AuditEventInput } from '../audit/audit-event.js';
import { maskPhone } from '../common/mask.js';
import { failureInWords } from '../send/failure-words.js';
import { REPLY_INTENTS } from '../tools/tool-definition.js';
import type { EventData, EventType } from './event-types.js';

export interface OutgoingEvent {
  type: EventType;
  data: EventData;
}

type Details = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The event a recorded change makes, if any. Every change the clinic hears of is already an
 * audit event in the change's transaction, so the event is written there too and commits with
 * it. Reads only what the audit event holds: never a text, the number only masked.
 */
export function eventOf(audit: AuditEventInput): OutgoingEvent | null {
  const details: Details = audit.details ?? {};
  const type = typeOf(audit.action, details);
  if (!type) return null;
  const data: EventData = {
    message_id: audit.messageId ?? null,
    tool: text(details.tool),
    conversation_id: audit.conversationId ?? null,
    to: maskPhone(audit.recipient),
  };
  if (type === 'message.failed') {
    const code = text(details.message_error_code) ?? text(details.error_code);
    data.error = { code, message: failureInWords(code) };
  }
  if (type.startsWith('consent.')) data.source = text(details.source);
  if (audit.action === 'sms.replied') data.intent = text(details.intent);
  return { type, data };
}

function typeOf(action: AuditEventInput['action'], details: Details): EventType | null {
  switch (action) {
    case 'sms.sent':
      return 'message.sent';
    case 'sms.failed':
      return 'message.failed';
    case 'twilio.status':
      if (details.status === 'delivered') return 'message.delivered';
      if (details.status === 'failed' || details.status === 'undelivered') return 'message.failed';
      return null;
    case 'sms.replied':
      return replyEventOf(details.intent);
    case 'consent.changed':
      return details.state === 'opted_out' ? 'consent.opted_out' : 'consent.opted_in';
    default:
      return null;
  }
}

/** A reply with an intent its text's tool declared is that intent's event; any other, message.replied. */
function replyEventOf(intent: unknown): EventType {
  return (REPLY_INTENTS as readonly unknown[]).includes(intent)
    ? (intent as EventType)
    : 'message.replied';
}
