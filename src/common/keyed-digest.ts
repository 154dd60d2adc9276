import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHmac, hkdfSync } from 'node:crypto';
import { auditConfig } from '../config/audit.config.js';

/** The HMAC key for digests of what patients are sent, derived from AUDIT_HASH_KEY (HKDF-SHA256). */
export function digestKeyOf(hashKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', hashKey, '', 'agent-sms-gateway/patient-digest', 32));
}

/** HMAC-SHA256 (hex) of a SHA-256 (hex): keyed, yet computable from the plain digest alone. */
export function keyDigest(key: Buffer, sha256Hex: string): string {
  return createHmac('sha256', key).update(sha256Hex, 'utf8').digest('hex');
}

/**
 * Digests of patient data kept in the database (a text's body_sha256, a send's dedupe key and
 * request fingerprint) are keyed: the templates are public and the numbers few, so a plain
 * SHA-256 would confirm a guessed text. Keying the plain digest, rather than the text, lets a
 * provider's message (reconciliation) and the rows stored before keying be keyed the same way.
 */
@Injectable()
export class KeyedDigests {
  private readonly key: Buffer;

  constructor(@Inject(auditConfig.KEY) config: ConfigType<typeof auditConfig>) {
    this.key = digestKeyOf(config.hashKey);
  }

  of(sha256Hex: string): string {
    return keyDigest(this.key, sha256Hex);
  }
}
