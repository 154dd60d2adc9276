import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { ProviderError } from '../provider-error.js';
import type {
  LineType,
  LineTypeAnswer,
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
  mediaUrl?: string;
  canceled?: boolean;
}

const OUTBOX_SIZE = 100;

/**
 * Numbers whose line type the sandbox simulates (docs/OPERATIONS.md, "Line type"); every
 * other number is a mobile. LOOKUP_FAILS answers as if the lookup service were down.
 */
export const SANDBOX_LINE_TYPES: Readonly<Record<string, LineType>> = {
  '+12025550180': 'landline',
  '+12025550181': 'fixedVoip',
  '+12025550182': 'nonFixedVoip',
  '+18885550183': 'tollFree',
};
export const SANDBOX_LOOKUP_FAILS = '+12025550184';

/**
 * Sends nothing: keeps the last messages in memory so a developer can see what a patient
 * would have received (GET /api/sandbox/outbox).
 */
@Injectable()
export class SandboxProvider implements SmsProvider {
  readonly name = 'sandbox' as const;
  readonly capabilities: ProviderCapabilities = {
    requiresValidNumbers: false,
    mms: true,
    lineTypeLookup: true,
    simulated: true,
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
      ...(sms.mediaUrl ? { mediaUrl: sms.mediaUrl } : {}),
    });
    if (this.outbox.length > OUTBOX_SIZE) this.outbox.shift();
    return Promise.resolve({ providerSid, status: 'sent' });
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
          status: m.canceled ? 'canceled' : 'sent',
          bodySha256: createHash('sha256').update(m.body, 'utf8').digest('hex'),
          createdAt: m.at,
        })),
    );
  }

  lookupLineType(to: string): Promise<LineTypeAnswer> {
    if (to === SANDBOX_LOOKUP_FAILS) {
      return Promise.reject(
        new ProviderError(ErrorCode.PROVIDER_UNAVAILABLE, 'Sandbox lookup outage.', 'failed', {
          status: HttpStatus.SERVICE_UNAVAILABLE,
          retryable: true,
          agentMessage: "I can't check that number right now. Let's try again in a minute.",
        }),
      );
    }
    return Promise.resolve({ type: SANDBOX_LINE_TYPES[to] ?? 'mobile', carrier: 'Sandbox' });
  }

  /** Newest first. */
  recent(): SandboxOutboxEntry[] {
    return [...this.outbox].reverse();
  }
}
