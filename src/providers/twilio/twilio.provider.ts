import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import twilio from 'twilio';
import { messageStatusFromTwilio } from './webhooks/delivery-status.js';
import { twilioConfig } from '../../config/twilio.config.js';
import { fromNetworkError, fromTwilioApiError } from './twilio-errors.js';
import { lookupLineType } from './twilio-lookup.js';
import { TwilioHttpClient } from './twilio-http-client.js';
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

/**
 * The request client every Twilio call goes through: keep-alive node:http(s), never retried
 * (a retried create can text a patient twice), optionally pointed at another base URL (a local
 * stub in tests and benchmarks).
 */
export class GatewayRequestClient extends TwilioHttpClient {
  constructor(baseUrl: string | undefined, timeoutMs: number) {
    super({ baseUrl, timeoutMs });
  }
}

const SENT_STATUSES = new Set(['queued', 'sending', 'sent', 'accepted', 'scheduled']);

/** The only place that talks to Twilio. */
@Injectable()
export class TwilioProvider implements SmsProvider {
  readonly name = 'twilio' as const;
  readonly capabilities: ProviderCapabilities;
  private readonly logger = new Logger(TwilioProvider.name);
  private readonly client: twilio.Twilio;

  constructor(@Inject(twilioConfig.KEY) private readonly config: ConfigType<typeof twilioConfig>) {
    this.capabilities = {
      requiresValidNumbers: true,
      // Message Scheduling needs a Messaging Service.
      scheduling: Boolean(config.messagingServiceSid),
      cancel: true,
      mms: true,
      deliveryCallbacks: Boolean(config.statusCallbackUrl),
      lineTypeLookup: true,
    };
    this.client = twilio(config.accountSid, config.authToken, {
      httpClient: new GatewayRequestClient(config.apiBaseUrl, config.timeoutMs),
      autoRetry: false,
    });
  }

  async send(sms: OutboundSms): Promise<ProviderReceipt> {
    const sender = this.config.messagingServiceSid
      ? { messagingServiceSid: this.config.messagingServiceSid }
      : { from: this.config.fromNumber };
    try {
      const message = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        ...sender,
        // The message id lets a callback settle a send whose answer (and sid) never arrived.
        ...(this.config.statusCallbackUrl
          ? { statusCallback: `${this.config.statusCallbackUrl}?message_id=${sms.messageId}` }
          : {}),
        ...(sms.sendAt ? { sendAt: sms.sendAt, scheduleType: 'fixed' as const } : {}),
        ...(sms.mediaUrl ? { mediaUrl: [sms.mediaUrl] } : {}),
      });
      const status = SENT_STATUSES.has(message.status) ? message.status : 'queued';
      return { providerSid: message.sid, status: status as ProviderReceipt['status'] };
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  async cancel(providerSid: string): Promise<void> {
    try {
      await this.client.messages(providerSid).update({ status: 'canceled' });
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  async findRecent(to: string, since: Date): Promise<ProviderMessage[]> {
    try {
      const messages = await this.client.messages.list({ to, limit: 50 });
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
    try {
      return await lookupLineType(this.client, to);
    } catch (error) {
      throw this.toTransportError(error);
    }
  }

  private toTransportError(error: unknown): ProviderError {
    // RestException, or TwilioServiceException for RFC 9457 bodies: both carry status and code.
    const { status, code } = error as { status?: unknown; code?: unknown };
    if (error instanceof twilio.RestException || typeof status === 'number') {
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
 * the auth token). Here because this is the only file that imports the twilio SDK.
 */
export function isValidTwilioSignature(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string>,
): boolean {
  return twilio.validateRequest(authToken, signature, url, params);
}
