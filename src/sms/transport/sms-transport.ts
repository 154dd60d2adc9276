/** Injection token for the one transport this instance sends through. */
export const SMS_TRANSPORT = Symbol('SMS_TRANSPORT');

export interface OutboundSms {
  messageId: string;
  /** E.164. */
  to: string;
  body: string;
  /** Where the provider reports delivery status, when the service has a public URL. */
  statusCallbackUrl?: string;
  /** Deliver at this time instead of now (quiet hours, or a requested send_at). */
  sendAt?: Date;
  /** An MMS attachment. */
  mediaUrl?: string;
}

export interface TransportReceipt {
  providerSid: string;
  status: 'queued' | 'sending' | 'sent' | 'accepted' | 'scheduled';
}

export interface SmsTransport {
  readonly name: 'twilio' | 'sandbox';
  /** A real carrier refuses unassigned numbers, so the Twilio transport needs valid ones. */
  readonly requiresValidNumbers: boolean;
  /**
   * Sends or throws a TransportError. Never retried by callers when the error says the
   * outcome is unknown: the text may already be on its way.
   */
  send(sms: OutboundSms): Promise<TransportReceipt>;
  /** Whether `sendAt` is honoured (Twilio needs a Messaging Service for it). */
  readonly supportsScheduling: boolean;
  /** Cancels a scheduled message that has not gone out yet. */
  cancel(providerSid: string): Promise<void>;
  /**
   * Messages the provider holds for a recipient since a time, with their text as a SHA-256
   * only: how a send whose answer was lost is found again.
   */
  findRecent(to: string, since: Date): Promise<ProviderMessage[]>;
}

export interface ProviderMessage {
  providerSid: string;
  status: string;
  bodySha256: string;
  createdAt: Date;
}
