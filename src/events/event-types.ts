/** Every event the service sends to the clinic's endpoint (docs/EVENTS.md has an example of each). */
export const EVENT_TYPES = [
  'message.sent',
  'message.delivered',
  'message.failed',
  'message.replied',
  'appointment.confirmed',
  'appointment.reschedule_requested',
  'refill.requested',
  'consent.opted_out',
  'consent.opted_in',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What an event says: which text (message id, tool, conversation) and whose number, masked.
 * Never the text of a message or a reply, never a full number.
 */
export interface EventData {
  message_id: string | null;
  tool: string | null;
  conversation_id: string | null;
  /** Masked, e.g. ***-***-4567. */
  to: string;
  [field: string]: string | number | boolean | null | Record<string, string | null>;
}

/** The body of one event, as Standard Webhooks suggest: type, timestamp, data. */
export interface EventBody {
  type: EventType;
  timestamp: string;
  data: EventData;
}
