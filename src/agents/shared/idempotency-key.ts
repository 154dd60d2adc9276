import { createHash } from 'node:crypto';

/**
 * Idempotency keys are unique per API key, and one API key may use several ways in, so the
 * keys each way in stores must never meet. A way in that derives keys from its platform's own
 * ids stores `<platform>:<id>`; a REST Idempotency-Key that begins with one of those prefixes
 * (or with `rest:`) is stored as `rest:sha256:<digest>`, any other as it came: honest keys keep
 * the form they were stored in, and no header can claim a platform's key.
 */
export type KeyedPlatform = 'vapi' | 'retell' | 'mcp';

const KEYED_PLATFORMS: readonly KeyedPlatform[] = ['vapi', 'retell', 'mcp'];
const RESERVED_PREFIXES = [...KEYED_PLATFORMS, 'rest'].map((name) => `${name}:`);

export function platformIdempotencyKey(platform: KeyedPlatform, id: string): string {
  return `${platform}:${id}`;
}

export function restIdempotencyKey(header: string): string {
  if (!RESERVED_PREFIXES.some((prefix) => header.startsWith(prefix))) return header;
  return `rest:sha256:${createHash('sha256').update(header).digest('hex')}`;
}
