import type { MessageStatus } from '../messages/message.entity.js';

/** Injection token for the one provider this instance sends through. */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

export interface OutboundSms {
  messageId: string;
  /** E.164. */
  to: string;
  body: string;
  /** An MMS attachment; only for a provider with the mms capability. */
  mediaUrl?: string;
}

export interface ProviderReceipt {
  providerSid: string;
  status: 'queued' | 'sending' | 'sent' | 'accepted' | 'scheduled';
}

/**
 * What a provider can do; the pipeline asks these, never the provider's name. Scheduling is
 * not one: the service's dispatcher holds every scheduled text and hands it over when due.
 */
export interface ProviderCapabilities {
  /** A real carrier refuses possible-but-unassigned numbers: refuse them before the send. */
  readonly requiresValidNumbers: boolean;
  /** Sends a picture (media_url); without it a media_url is refused before anything is kept. */
  readonly mms: boolean;
  /** Tells a mobile number from a landline before the first text (lookupLineType). */
  readonly lineTypeLookup?: boolean;
  /** Delivers nothing (a development stand-in): each answer says so (`sandbox: true`). */
  readonly simulated: boolean;
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
  /** Its registration's name (provider-registration.ts), stored as the messages' transport. */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * Sends or throws a ProviderError. Never retried by callers when the error says the
   * outcome is unknown: the text may already be on its way.
   */
  send(sms: OutboundSms): Promise<ProviderReceipt>;
  /**
   * Cancels a message it holds for later: only rows scheduled at the provider before the
   * service's dispatcher held them have a provider sid while still scheduled.
   */
  cancel?(providerSid: string): Promise<void>;
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
