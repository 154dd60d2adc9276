import { createHash } from 'node:crypto';

/** prev_hash of the very first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The stored fields an event's hash covers: everything but the hash itself. */
export interface ChainedEvent {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  messageId: string | null;
  recipientMasked: string | null;
  recipientHash: string | null;
  outcome: string;
  requestId: string | null;
  conversationId: string | null;
  /** Canonical JSON text exactly as stored, or null. */
  details: string | null;
  prevHash: string;
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .filter((key) => source[key] !== undefined)
        .map((key) => [key, sortKeys(source[key])]),
    );
  }
  return value;
}

/**
 * The text an event's hash is taken over (version 1): snake_case keys in sorted order,
 * the time as an ISO 8601 UTC string with milliseconds, absent values as explicit nulls.
 * An outside verifier can rebuild it from an NDJSON export line.
 */
export function canonicalEvent(event: ChainedEvent): string {
  return canonicalJson({
    v: 1,
    seq: event.seq,
    at: event.at.toISOString(),
    actor: event.actor,
    action: event.action,
    message_id: event.messageId,
    recipient_masked: event.recipientMasked,
    recipient_hash: event.recipientHash,
    outcome: event.outcome,
    request_id: event.requestId,
    conversation_id: event.conversationId,
    details: event.details,
    prev_hash: event.prevHash,
  });
}

/** SHA-256 (hex) of the canonical event, which includes the previous event's hash. */
export function hashEvent(event: ChainedEvent): string {
  return createHash('sha256').update(canonicalEvent(event), 'utf8').digest('hex');
}
