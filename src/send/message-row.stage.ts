import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { sendingConfig } from '../config/sending.config.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { newMessageRow } from './message-row.js';
import type { SendContext, SendStage } from './send-stage.js';

/**
 * The row the claim takes, with its keys: the Idempotency-Key's fingerprint, and the duplicate
 * key that makes the same text within DEDUPE_WINDOW one send.
 */
@Injectable()
export class MessageRowStage implements SendStage {
  constructor(
    @Inject(sendingConfig.KEY) private readonly sending: ConfigType<typeof sendingConfig>,
    private readonly transport: ResilientProvider,
  ) {}

  run(send: SendContext): void {
    send.set(
      'row',
      newMessageRow({
        tool: send.get('tool'),
        dto: send.get('dto'),
        call: send.call,
        phone: send.get('phone'),
        recipientHash: send.get('recipientHash'),
        body: send.get('body'),
        requestedTextSha256: send.get('requestedTextSha256'),
        schedule: send.get('schedule'),
        transport: this.transport.name,
        dedupeWindowMs: this.sending.dedupeWindowMs,
      }),
    );
  }
}
