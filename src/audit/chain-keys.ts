import { createHmac } from 'node:crypto';
import type { ChainKey } from '../config/audit-chain.config.js';

/**
 * The keys the chain is signed with: the current one signs, every configured one verifies.
 * They live in configuration, never in the database, so write access to the database is not
 * enough to forge an event, a purge record or a checkpoint.
 */
export class ChainKeyring {
  private readonly secrets: ReadonlyMap<string, string>;

  constructor(
    readonly current: ChainKey,
    previous: readonly ChainKey[] = [],
  ) {
    this.secrets = new Map([...previous, current].map((key) => [key.id, key.secret]));
  }

  has(keyId: string): boolean {
    return this.secrets.has(keyId);
  }

  /** HMAC-SHA256 (hex) of `text` with the key named `keyId`; null when no such key is configured. */
  sign(text: string, keyId: string = this.current.id): string | null {
    const secret = this.secrets.get(keyId);
    return secret === undefined ? null : createHmac('sha256', secret).update(text).digest('hex');
  }
}
