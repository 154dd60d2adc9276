import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { OutboundSms, SmsTransport, TransportReceipt } from './sms-transport.js';

export interface SandboxOutboxEntry {
  providerSid: string;
  messageId: string;
  to: string;
  body: string;
  at: Date;
}

const OUTBOX_SIZE = 100;

/**
 * Sends nothing: keeps the last messages in memory so a developer can see what a patient
 * would have received (GET /api/sandbox/outbox).
 */
@Injectable()
export class SandboxTransport implements SmsTransport {
  readonly name = 'sandbox' as const;
  readonly requiresValidNumbers = false;
  private readonly outbox: SandboxOutboxEntry[] = [];

  send(sms: OutboundSms): Promise<TransportReceipt> {
    const providerSid = `SB${randomBytes(16).toString('hex')}`;
    this.outbox.push({
      providerSid,
      messageId: sms.messageId,
      to: sms.to,
      body: sms.body,
      at: new Date(),
    });
    if (this.outbox.length > OUTBOX_SIZE) this.outbox.shift();
    return Promise.resolve({ providerSid, status: 'sent' });
  }

  /** Newest first. */
  recent(): SandboxOutboxEntry[] {
    return [...this.outbox].reverse();
  }
}
