import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import { auditConfig } from '../config/audit.config.js';

/** Keyed hash of an E.164 number: stable for lookups, useless without the key. */
@Injectable()
export class RecipientHasher {
  constructor(@Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>) {}

  hash(e164: string): string {
    return createHmac('sha256', this.config.hashKey).update(e164).digest('hex');
  }
}
