import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import { auditConfig } from '../config/audit.config.js';

/** Enough for the sends in flight on one instance; each send hashes its number ~5 times. */
const RECENT_HASHES = 256;

/** Keyed hash of an E.164 number: stable for lookups, useless without the key. */
@Injectable()
export class RecipientHasher {
  private readonly recent = new Map<string, string>();

  constructor(@Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>) {}

  hash(e164: string): string {
    const known = this.recent.get(e164);
    if (known !== undefined) return known;
    const hash = createHmac('sha256', this.config.hashKey).update(e164).digest('hex');
    // Oldest first out: a Map iterates in insertion order.
    if (this.recent.size >= RECENT_HASHES) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(e164, hash);
    return hash;
  }
}
