import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
// Two small, self-contained files of the SDK: the rest of it loads on the first call to Twilio.
import restException from 'twilio/lib/base/RestException.js';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { messageStatusFromTwilio } from './webhooks/delivery-status.js';
import { twilioConfig } from './twilio.config.js';
import { fromNetworkError, fromTwilioApiError } from './twilio-errors.js';
import { lookupLineType } from './twilio-lookup.js';
import { loadTwilioClient } from './twilio-sdk.js';
import { onFirstUse } from '../../common/on-first-use.js';
import { createHash } from 'node:crypto';
import type {
  LineTypeAnswer,
  OutboundSms,
  ProviderCapabilities,
  ProviderMessage,
  SmsProvider,
  ProviderReceipt,
} from '../sms-provider.js';
import { ProviderError } from '../provider-error.js';

// The file is CommonJS compiled from TypeScript: its class is the `default` export.
const RestException = restException.default;

const SENT_STATUSES = new Set(['queued', 'sending', 'sent', 'accepted', 'scheduled']);

/** The only place that talks to Twilio. */
@Injectable()
export class TwilioProvider implements SmsProvider {
  readonly name = 'twilio' as const;
  readonly capabilities: ProviderCapabilities;
  private readonly logger = new Logger(TwilioProvider.name);

  constructor(@Inject(twilioConfig.KEY) private readonly config: ConfigType<typeof twilioConfig>) {
    this.capabilities = {
      requiresValidNumbers: true,
      mms: true,
      lineTypeLookup: true,
      simulated: false,
    };
  }

  /** Built on the first call: a failure to load the SDK is not a failure to reach Twilio. */
  private readonly connect = onFirstUse(() => loadTwilioClient(this.config));

  async send(sms: OutboundSms): Promise<ProviderReceipt> {
    const sender = this.config.messagingServiceSid
      ? { messagingServiceSid: this.config.messagingServiceSid }
      : { from: this.config.fromNumber };
    const client = await this.connect();
    try {
      const message = await client.messages.create({
        to: sms.to,
        body: sms.body,
        ...sender,
        // The message id lets a callback settle a send whose answer (and sid) never arrived.
        ...(this.config.statusCallbackUrl
          ? { statusCallback: `${this.config.statusCallbackUrl}?message_id=${sms.messageId}` }
          : {}),
        ...(sms.mediaUrl ? { mediaUrl: [sms.mediaUrl] } : {}),
      });
      const status = SENT_STATUSES.has(message.status) ? message.status : 'queued';
      return { providerSid: message.sid, status: status as ProviderReceipt['status'] };
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  async cancel(providerSid: string): Promise<void> {
    const client = await this.connect();
    try {
      await client.messages(providerSid).update({ status: 'canceled' });
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  async findRecent(to: string, since: Date): Promise<ProviderMessage[]> {
    const client = await this.connect();
    try {
      const messages = await client.messages.list({ to, limit: 50 });
      return messages
        .filter((m) => m.dateCreated >= since)
        .map((m) => ({
          providerSid: m.sid,
          status: messageStatusFromTwilio(m.status),
          bodySha256: createHash('sha256')
            .update(m.body ?? '', 'utf8')
            .digest('hex'),
          createdAt: m.dateCreated,
        }));
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  async lookupLineType(to: string): Promise<LineTypeAnswer> {
    const client = await this.connect();
    try {
      return await lookupLineType(client, to);
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  private toTransportError(error: unknown): ProviderError {
    // RestException, or TwilioServiceException for RFC 9457 bodies: both carry status and code.
    const { status, code } = error as { status?: unknown; code?: unknown };
    if (error instanceof RestException || typeof status === 'number') {
      const twilioCode = typeof code === 'number' ? code : undefined;
      this.logger.warn(
        `Twilio refused a message: HTTP ${String(status)}, code ${twilioCode ?? 'none'}`,
      );
      return fromTwilioApiError(Number(status), twilioCode);
    }
    this.logger.warn(
      `Twilio request failed: ${typeof code === 'string' ? code : 'no network code'}`,
    );
    return fromNetworkError(typeof code === 'string' ? code : undefined);
  }
}

/**
 * Checks X-Twilio-Signature (HMAC-SHA1 of the public URL and the sorted POST parameters with
 * the auth token), with the SDK's own check. Here with the provider, which owns the SDK.
 */
export function isValidTwilioSignature(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string>,
): boolean {
  return validateRequest(authToken, signature, url, params);
}
