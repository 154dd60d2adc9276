import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type {
  OutboundSms,
  ProviderCapabilities,
  ProviderMessage,
  SmsProvider,
  ProviderReceipt,
} from '../sms-provider.js';

export interface SandboxOutboxEntry {
  providerSid: string;
  messageId: string;
  to: string;
  body: string;
  at: Date;
  /** Set for a scheduled message: when it would go out. */
  sendAt?: Date;
  mediaUrl?: string;
  canceled?: boolean;
}

const OUTBOX_SIZE = 100;

/**
 * Sends nothing: keeps the last messages in memory so a developer can see what a patient
 * would have received (GET /api/sandbox/outbox), scheduled ones with their time.
 */
@Injectable()
export class SandboxProvider implements SmsProvider {
  readonly name = 'sandbox' as const;
  readonly capabilities: ProviderCapabilities = {
    requiresValidNumbers: false,
    scheduling: true,
    cancel: true,
    mms: true,
    deliveryCallbacks: false,
  };
  private readonly outbox: SandboxOutboxEntry[] = [];

  send(sms: OutboundSms): Promise<ProviderReceipt> {
    const providerSid = `SB${randomBytes(16).toString('hex')}`;
    this.outbox.push({
      providerSid,
      messageId: sms.messageId,
      to: sms.to,
      body: sms.body,
      at: new Date(),
      ...(sms.sendAt ? { sendAt: sms.sendAt } : {}),
      ...(sms.mediaUrl ? { mediaUrl: sms.mediaUrl } : {}),
    });
    if (this.outbox.length > OUTBOX_SIZE) this.outbox.shift();
    return Promise.resolve({ providerSid, status: sms.sendAt ? 'scheduled' : 'sent' });
  }

  cancel(providerSid: string): Promise<void> {
    const entry = this.outbox.find((m) => m.providerSid === providerSid);
    if (entry) entry.canceled = true;
    return Promise.resolve();
  }

  findRecent(to: string, since: Date): Promise<ProviderMessage[]> {
    return Promise.resolve(
      this.outbox
        .filter((m) => m.to === to && m.at >= since)
        .map((m) => ({
          providerSid: m.providerSid,
          status: m.canceled ? 'canceled' : m.sendAt ? 'scheduled' : 'sent',
          bodySha256: createHash('sha256').update(m.body, 'utf8').digest('hex'),
          createdAt: m.at,
        })),
    );
  }

  /** Newest first. */
  recent(): SandboxOutboxEntry[] {
    return [...this.outbox].reverse();
  }
}
