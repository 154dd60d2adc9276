import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChainKeyring } from './chain-keys.js';

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
  /** The key that signed it (version 2); null for an unkeyed event of version 1. */
  keyId: string | null;
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
 * The text an event's hash is taken over: snake_case keys in sorted order, the time as an
 * ISO 8601 UTC string with milliseconds, absent values as explicit nulls. Version 2 adds `k`,
 * the id of the key that signs it; version 1 (before the chain was keyed) has none. An outside
 * verifier can rebuild it from an NDJSON export line.
 */
export function canonicalEvent(event: ChainedEvent): string {
  const fields = {
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
  };
  return canonicalJson(
    event.keyId === null ? { v: 1, ...fields } : { v: 2, k: event.keyId, ...fields },
  );
}

/**
 * Version 2: HMAC-SHA256 (hex) of the canonical event with the key it names, null when that
 * key is not configured. Version 1: its plain SHA-256, which anyone could recompute after an
 * edit; accepted only before the chain was re-anchored under a key.
 */
export function hashEvent(event: ChainedEvent, keys: ChainKeyring): string | null {
  const text = canonicalEvent(event);
  if (event.keyId === null) return createHash('sha256').update(text, 'utf8').digest('hex');
  return keys.sign(text, event.keyId);
}

/** Whether `stored` is the event's hash, compared in constant time. */
export function hasValidHash(event: ChainedEvent, stored: string, keys: ChainKeyring): boolean {
  const expected = hashEvent(event, keys);
  if (expected === null || expected.length !== stored.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(stored));
}
