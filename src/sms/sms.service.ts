import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { maskPhone } from '../common/mask.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { appConfig } from '../config/app.config.js';
import { buildMessageBody } from './content/message-body.js';
import type { ToolRequestDto } from './dto/tool-request.dto.js';
import type { MessageStatusDto, SendResultDto } from './dto/send-result.dto.js';
import type { MessageEntity } from './message.entity.js';
import { MessageStore } from './message.store.js';
import { PhoneNumberService } from './phone/phone-number.service.js';
import { LinkPolicy } from './policy/link-policy.js';
import { RecipientPolicy } from './policy/recipient-policy.js';
import { renderTemplate } from './templates/template.js';
import type { ToolDefinition } from './tools/tool-definition.js';
import { SMS_TRANSPORT, type SmsTransport } from './transport/sms-transport.js';
import { TransportError } from './transport/transport-error.js';

/** Who asked for a send, as far as this service can tell. */
export interface SendContext {
  apiKeyName: string;
  requestId: string;
}

const UNASSIGNED_NUMBER_NOTICE =
  'Sandbox only: this number is not assigned to any line, and a real carrier would refuse it.';

@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(
    @Inject(SMS_TRANSPORT) private readonly transport: SmsTransport,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly phones: PhoneNumberService,
    private readonly store: MessageStore,
    private readonly hasher: RecipientHasher,
    private readonly recipientPolicy: RecipientPolicy,
    private readonly linkPolicy: LinkPolicy,
  ) {}

  /**
   * Everything that can refuse a request runs before the message row exists, so a refusal
   * leaves nothing behind; after the row exists, every path settles it.
   */
  async send(
    tool: ToolDefinition,
    dto: ToolRequestDto,
    context: SendContext,
  ): Promise<SendResultDto> {
    const phone = this.phones.normalize(dto.phone_number, {
      requireValid: this.transport.requiresValidNumbers,
    });
    this.recipientPolicy.check(phone, dto);
    const body = buildMessageBody(renderTemplate(tool.template, tool.toVariables(dto)));
    this.linkPolicy.check(body.text);

    const message = await this.store.claim({
      id: randomUUID(),
      tool: tool.name,
      apiKeyName: context.apiKeyName,
      idempotencyKey: null,
      requestFingerprint: null,
      dedupeKey: null,
      recipient: phone.e164,
      recipientHash: this.hasher.hash(phone.e164),
      bodySha256: body.sha256,
      segments: body.segments,
      encoding: body.encoding,
      transport: this.transport.name,
      conversationId: dto.conversation_id ?? null,
      callerId: dto.caller_id ?? null,
      agentId: dto.agent_id ?? null,
      sendAt: null,
    });

    try {
      const receipt = await this.transport.send({
        messageId: message.id,
        to: phone.e164,
        body: body.text,
        statusCallbackUrl: this.app.publicBaseUrl
          ? `${this.app.publicBaseUrl}/api/twilio/status`
          : undefined,
      });
      const result: SendResultDto = {
        success: true,
        status: receipt.status,
        message_id: message.id,
        provider_sid: receipt.providerSid,
        to: maskPhone(phone.e164),
        segments: body.segments,
        encoding: body.encoding,
        agent_message: `I've texted ${tool.label} to the number ending in ${phone.e164.slice(-4)}.`,
        ...(this.transport.name === 'sandbox' ? { sandbox: true } : {}),
        ...(phone.isValid ? {} : { notice: UNASSIGNED_NUMBER_NOTICE }),
      };
      await this.store.settle(message.id, {
        status: receipt.status,
        providerSid: receipt.providerSid,
        response: { ...result },
      });
      return result;
    } catch (error) {
      await this.settleFailure(message, error);
      throw error;
    }
  }

  async status(id: string): Promise<MessageStatusDto> {
    const message = await this.store.findById(id);
    if (!message) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'No message has that id.', {
        status: HttpStatus.NOT_FOUND,
        agentMessage: "I couldn't find that message.",
      });
    }
    return toMessageStatus(message);
  }

  private async settleFailure(message: MessageEntity, error: unknown): Promise<void> {
    const isTransportError = error instanceof TransportError;
    try {
      await this.store.settle(message.id, {
        status: isTransportError && error.outcome === 'failed' ? 'failed' : 'unknown',
        errorCode: isTransportError ? error.code : ErrorCode.INTERNAL_ERROR,
      });
    } catch (settleError) {
      // The original error is what the caller must hear; the row stays 'accepted' for reconciliation.
      this.logger.error(
        { err: settleError, messageId: message.id },
        'Could not settle a failed send',
      );
    }
  }
}

export function toMessageStatus(message: MessageEntity): MessageStatusDto {
  return {
    message_id: message.id,
    tool: message.tool,
    status: message.status,
    api_key_name: message.apiKeyName,
    provider_sid: message.providerSid,
    to: maskPhone(message.recipient),
    segments: message.segments,
    encoding: message.encoding,
    error_code: message.errorCode,
    conversation_id: message.conversationId,
    created_at: new Date(message.createdAt).toISOString(),
    updated_at: new Date(message.updatedAt).toISOString(),
  };
}
