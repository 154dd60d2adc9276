import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { authConfig, type AuthConfig, type Platform, type Scope } from '../config/auth.config.js';

export interface ApiKeyIdentity {
  name: string;
  scopes: readonly Scope[];
  /** The ways in this key may use; undefined means any. */
  platforms?: readonly Platform[];
  /**
   * Which secret of the name was presented (keyFingerprint), so the old and new secrets of a
   * rotated key can be told apart in the audit log.
   */
  fingerprint: string;
}

/**
 * The first 12 hex digits of the SHA-256 of the key's SHA-256 (as lowercase hex): what the
 * audit log records for a key. Computable from the key or from its `sha256=` entry, never
 * usable as either (docs/SECURITY.md, "API keys").
 */
export function keyFingerprint(sha256: Buffer): string {
  return createHash('sha256').update(sha256.toString('hex')).digest('hex').slice(0, 12);
}

/** The configured API keys, held as SHA-256 digests only (main.ts prints a development key). */
@Injectable()
export class ApiKeyRegistry {
  private readonly entries: ReadonlyArray<{ sha256: Buffer; identity: ApiKeyIdentity }>;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    this.entries = config.keys.map((entry) => ({
      sha256: entry.sha256,
      identity: {
        name: entry.name,
        scopes: entry.scopes,
        platforms: entry.platforms,
        fingerprint: keyFingerprint(entry.sha256),
      },
    }));
  }

  /**
   * Hashes the presented key and compares it with every entry in constant time, so neither
   * the key's prefix nor which entry matched shows in the timing.
   */
  identify(presented: string): ApiKeyIdentity | undefined {
    const digest = createHash('sha256').update(presented).digest();
    let match: ApiKeyIdentity | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.sha256) && !match) match = entry.identity;
    }
    return match;
  }
}
