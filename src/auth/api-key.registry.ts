import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { authConfig, type AuthConfig, type Platform, type Scope } from '../config/auth.config.js';

export interface ApiKeyIdentity {
  name: string;
  scopes: readonly Scope[];
  /** The ways in this key may use; undefined means any. */
  platforms?: readonly Platform[];
}

/** The configured API keys, held as SHA-256 digests only (main.ts prints a development key). */
@Injectable()
export class ApiKeyRegistry {
  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  /**
   * Hashes the presented key and compares it with every entry in constant time, so neither
   * the key's prefix nor which entry matched shows in the timing.
   */
  identify(presented: string): ApiKeyIdentity | undefined {
    const digest = createHash('sha256').update(presented).digest();
    let match: ApiKeyIdentity | undefined;
    for (const entry of this.config.keys) {
      if (timingSafeEqual(digest, entry.sha256) && !match)
        match = { name: entry.name, scopes: entry.scopes, platforms: entry.platforms };
    }
    return match;
  }
}
