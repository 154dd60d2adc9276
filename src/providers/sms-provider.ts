import type { MessageStatus } from '../messages/message.entity.js';

/** Injection token for the one provider this instance sends through. */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

export interface OutboundSms {
  messageId: string;
  /** E.164. */
  to: string;
  body: string;
  /** Deliver at this time instead of now (quiet hours, or a requested send_at). */
  sendAt?: Date;
  /** An MMS attachment. */
  mediaUrl?: string;
}

export interface ProviderReceipt {
  providerSid: string;
  status: 'queued' | 'sending' | 'sent' | 'accepted' | 'scheduled';
}

/** What a provider can do; the pipeline asks these, never the provider's name. */
export interface ProviderCapabilities {
  /** A real carrier refuses possible-but-unassigned numbers: refuse them before the send. */
  readonly requiresValidNumbers: boolean;
  /** Honours `sendAt` (quiet hours, send_at). */
  readonly scheduling: boolean;
  /** Cancels a scheduled message before it goes out. */
  readonly cancel: boolean;
  /** Sends a picture (media_url). */
  readonly mms: boolean;
  /** Reports delivery later to the service's webhook, settling the message's status. */
  readonly deliveryCallbacks: boolean;
  /** Tells a mobile number from a landline before the first text (lookupLineType). */
  readonly lineTypeLookup?: boolean;
}

/** Line types in Twilio Lookup v2's words (line_type_intelligence.type). */
export type LineType =
  | 'mobile'
  | 'landline'
  | 'fixedVoip'
  | 'nonFixedVoip'
  | 'tollFree'
  | 'personal'
  | 'pager'
  | 'voicemail'
  | 'sharedCost'
  | 'premium'
  | 'uan'
  | 'unknown';

export interface LineTypeAnswer {
  type: LineType;
  carrier: string | null;
}

/**
 * One seam per provider: it sends, cancels and finds messages, and maps its own errors and
 * statuses to the pipeline's words (ProviderError codes, MessageStatus).
 */
export interface SmsProvider {
  readonly name: 'twilio' | 'sandbox';
  readonly capabilities: ProviderCapabilities;
  /**
   * Sends or throws a ProviderError. Never retried by callers when the error says the
   * outcome is unknown: the text may already be on its way.
   */
  send(sms: OutboundSms): Promise<ProviderReceipt>;
  /** Cancels a scheduled message that has not gone out yet. */
  cancel(providerSid: string): Promise<void>;
  /**
   * Messages the provider holds for a recipient since a time, with their text as a SHA-256
   * only: how a send whose answer was lost is found again.
   */
  findRecent(to: string, since: Date): Promise<ProviderMessage[]>;
  /** What kind of line a number is; throws a ProviderError when the lookup fails. */
  lookupLineType?(to: string): Promise<LineTypeAnswer>;
}

export interface ProviderMessage {
  providerSid: string;
  /** In the pipeline's words; undefined for a status that says nothing about delivery. */
  status: MessageStatus | undefined;
  bodySha256: string;
  createdAt: Date;
}
