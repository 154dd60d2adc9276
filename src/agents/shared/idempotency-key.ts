import { createHash } from 'node:crypto';

/**
 * Idempotency keys are unique per API key, and one API key may use several ways in, so the
 * keys each way in stores must never meet. A way in that derives keys from its platform's own
 * ids stores `<platform>:<id>`; a REST Idempotency-Key that begins with one of those prefixes
 * (or with `rest:`) is stored as `rest:sha256:<digest>`, any other as it came: honest keys keep
 * the form they were stored in, and no header can claim a platform's key.
 */

/** The names of the ways in that key retries on their platform's ids (`keysRetries`). */
export const KEYED_PLATFORMS = Symbol('KEYED_PLATFORMS');

export function platformIdempotencyKey(platform: string, id: string): string {
  return `${platform}:${id}`;
}

/** `keyed`: the registered ways in that key retries on their own ids (their prefixes are theirs). */
export function restIdempotencyKey(header: string, keyed: readonly string[]): string {
  const reserved = [...keyed, 'rest'].some((name) => header.startsWith(`${name}:`));
  if (!reserved) return header;
  return `rest:sha256:${createHash('sha256').update(header).digest('hex')}`;
}
