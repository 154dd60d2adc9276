import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import { AuditLogService } from '../audit/audit-log.service.js';
import { ConsentService } from '../consent/consent.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { AuditAction, AuditOutcome } from '../audit/audit-event.js';
import { DomainError } from '../common/errors/domain-error.js';
import { markAudited } from '../common/errors/audited.js';
import { errorBody } from '../common/errors/error-body.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { maskPhone } from '../common/mask.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { appConfig } from '../config/app.config.js';
import { sendingConfig } from '../config/sending.config.js';
import { buildMessageBody, type MessageBody } from './content/message-body.js';
import type { MessageStatusDto, SendResultDto } from './dto/send-result.dto.js';
import type { ToolRequestDto } from './dto/tool-request.dto.js';
import type { MessageEntity, MessageStatus } from './message.entity.js';
import {
  claimConflictOf,
  MessageStore,
  type ClaimConflict,
  type NewMessage,
} from './message.store.js';
import { PhoneNumberService, type NormalizedPhone } from './phone/phone-number.service.js';
import { LinkPolicy } from './policy/link-policy.js';
import { RecipientPolicy } from './policy/recipient-policy.js';
import { SendScheduler, spellSendTime, type Schedule } from './scheduling/send-scheduler.js';
import { MessageRenderer } from './templates/message-renderer.js';
import type { ToolDefinition } from './tools/tool-definition.js';
import { ResilientTransport } from './transport/resilient-transport.js';
import { TransportError } from './transport/transport-error.js';

/** Who asked for a send, as far as this service can tell. */
export interface SendContext {
  apiKeyName: string;
  requestId: string;
  /** The Idempotency-Key header, when the caller sent one. */
  idempotencyKey?: string;
  /** send_sms asked to skip quiet hours. */
  urgent?: boolean;
}

/** What the controller answers: a fresh result, or a stored one replayed. */
export interface SendOutcome {
  status: number;
  body: object;
  headers: Record<string, string>;
}

const UNASSIGNED_NUMBER_NOTICE =
  'Sandbox only: this number is not assigned to any line, and a real carrier would refuse it.';
/** Room left after the transport for settling the row and its audit event. */
const SETTLE_MARGIN_MS = 500;
const MAX_CLAIM_ATTEMPTS = 3;

type Claim = { message: MessageEntity } | { replay: SendOutcome };

@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(
    private readonly transport: ResilientTransport,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(sendingConfig.KEY) private readonly sending: ConfigType<typeof sendingConfig>,
    private readonly phones: PhoneNumberService,
    private readonly store: MessageStore,
    private readonly hasher: RecipientHasher,
    private readonly recipientPolicy: RecipientPolicy,
    private readonly linkPolicy: LinkPolicy,
    private readonly renderer: MessageRenderer,
    private readonly audit: AuditLogService,
    private readonly consent: ConsentService,
    private readonly metrics: MetricsService,
    private readonly scheduler: SendScheduler,
  ) {}

  /**
   * Everything that can refuse a request runs before the message row exists, so a refusal
   * leaves nothing behind. The row and its 'requested' event commit together; after that,
   * every path settles the row together with its outcome event.
   */
  async send(
    tool: ToolDefinition,
    dto: ToolRequestDto,
    context: SendContext,
  ): Promise<SendOutcome> {
    context = { ...context, urgent: (dto as { urgent?: unknown }).urgent === true };
    const deadline = Date.now() + this.app.requestDeadlineMs - SETTLE_MARGIN_MS;
    const phone = this.phones.normalize(dto.phone_number, {
      requireValid: this.transport.requiresValidNumbers,
    });
    this.recipientPolicy.check(phone, dto);
    if (await this.consent.isOptedOut(phone.e164)) throw optedOut();
    const rendered = this.renderer.render(tool, dto);
    // Duplicates are judged on the text without the first-text footer, which only the first gets.
    const requestedText = buildMessageBody(rendered.text);
    const body = (await this.needsFooter(phone))
      ? buildMessageBody(`${rendered.text}\n${this.sending.firstTextFooter}`)
      : requestedText;
    this.linkPolicy.check(body.text);
    const mediaUrl = (dto as { media_url?: string }).media_url;
    if (mediaUrl) this.checkMms(mediaUrl, phone);
    const schedule = this.scheduler.plan(dto, phone.country);
    if (schedule && !this.transport.supportsScheduling) throw cannotSchedule();

    const claim = await this.claim(
      this.newMessage(tool, dto, context, phone, body, requestedText.sha256, schedule),
      context,
    );
    if ('replay' in claim) return claim.replay;
    const { message } = claim;

    let result: SendResultDto;
    try {
      const receipt = await this.transport.send(
        {
          messageId: message.id,
          to: phone.e164,
          body: body.text,
          // The message id lets a callback settle a send whose answer (and sid) never arrived.
          statusCallbackUrl: this.app.publicBaseUrl
            ? `${this.app.publicBaseUrl}/api/twilio/status?message_id=${message.id}`
            : undefined,
          sendAt: schedule?.sendAt,
          mediaUrl,
        },
        deadline,
      );
      result = {
        success: true,
        status: receipt.status,
        message_id: message.id,
        provider_sid: receipt.providerSid,
        to: maskPhone(phone.e164),
        segments: body.segments,
        encoding: body.encoding,
        agent_message: schedule
          ? `It's outside texting hours for the patient, so I've scheduled ${tool.label} for ${spellSendTime(schedule.sendAt, schedule.timeZone)}, to the number ending in ${phone.e164.slice(-4)}.`
          : `I've texted ${tool.label} to the number ending in ${phone.e164.slice(-4)}.`,
        ...(schedule ? { scheduled_for: schedule.sendAt.toISOString() } : {}),
        ...(this.transport.name === 'sandbox' ? { sandbox: true } : {}),
        ...(this.notice(phone, rendered.requestedLanguage) ?? {}),
      };
      await this.settle(message, context, {
        status: receipt.status,
        providerSid: receipt.providerSid,
        response: { status: HttpStatus.CREATED, body: result },
      });
    } catch (error) {
      await this.settleFailure(message, context, error);
      throw typeof error === 'object' && error !== null ? markAudited(error) : error;
    }
    return { status: HttpStatus.CREATED, body: result, headers: {} };
  }

  /** Cancels a scheduled message that has not gone out, at the provider and in the store. */
  async cancel(id: string, context: SendContext): Promise<MessageStatusDto> {
    const message = await this.store.findById(id);
    if (!message) throw messageNotFound();
    if (message.status !== 'scheduled' || !message.providerSid) {
      throw new DomainError(
        ErrorCode.MESSAGE_NOT_CANCELABLE,
        `Only a scheduled message can be canceled; this one is ${message.status}.`,
        {
          status: HttpStatus.CONFLICT,
          agentMessage:
            "That text can't be canceled any more; it has already gone out or was stopped.",
        },
      );
    }
    await this.transport.cancel(message.providerSid);
    await this.audit.transaction(async (manager) => {
      await this.store.cancel(manager, message.id);
      await this.audit.append(
        {
          actor: context.apiKeyName,
          action: 'sms.canceled',
          outcome: 'success',
          messageId: message.id,
          recipient: message.recipient,
          requestId: context.requestId,
          conversationId: message.conversationId,
          details: { tool: message.tool, provider_sid: message.providerSid },
        },
        manager,
      );
    });
    this.metrics.recordSend(message.tool, 'canceled');
    return this.status(id);
  }

  async status(id: string): Promise<MessageStatusDto> {
    const message = await this.store.findById(id);
    if (!message) throw messageNotFound();
    return toMessageStatus(message);
  }

  private newMessage(
    tool: ToolDefinition,
    dto: ToolRequestDto,
    context: SendContext,
    phone: NormalizedPhone,
    body: MessageBody,
    requestedTextSha256: string,
    schedule: Schedule | undefined,
  ): NewMessage {
    const conversation = dto.conversation_id ?? '';
    return {
      id: randomUUID(),
      tool: tool.name,
      apiKeyName: context.apiKeyName,
      idempotencyKey: context.idempotencyKey ?? null,
      requestFingerprint: context.idempotencyKey ? fingerprint(tool.name, dto) : null,
      // Agents cannot send a fresh Idempotency-Key per call: the same text to the same number
      // from the same key (and conversation) within the window is one send.
      dedupeKey:
        this.sending.dedupeWindowMs > 0
          ? sha256(
              [
                context.apiKeyName,
                tool.name,
                phone.e164,
                requestedTextSha256,
                conversation,
                // A reminder asked for another time is another send.
                (dto as { send_at?: string }).send_at ?? '',
                (dto as { media_url?: string }).media_url ?? '',
              ].join('\n'),
            )
          : null,
      recipient: phone.e164,
      recipientHash: this.hasher.hash(phone.e164),
      bodySha256: body.sha256,
      segments: body.segments,
      encoding: body.encoding,
      transport: this.transport.name,
      conversationId: dto.conversation_id ?? null,
      callerId: dto.caller_id ?? null,
      agentId: dto.agent_id ?? null,
      sendAt: schedule?.sendAt ?? null,
    };
  }

  /**
   * The row's unique keys make the claim one atomic step across instances: a second request
   * with the same Idempotency-Key or duplicate key fails the insert and is answered from the
   * first one's row instead of sending again.
   */
  private async claim(row: NewMessage, context: SendContext): Promise<Claim> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        const message = await this.audit.transaction(async (manager) => {
          const claimed = await this.store.claim(manager, row);
          await this.audit.append(
            {
              actor: context.apiKeyName,
              action: 'sms.requested',
              outcome: 'success',
              messageId: claimed.id,
              recipient: claimed.recipient,
              requestId: context.requestId,
              conversationId: claimed.conversationId,
              details: {
                tool: claimed.tool,
                body_sha256: claimed.bodySha256,
                segments: claimed.segments,
                encoding: claimed.encoding,
                idempotency_key: Boolean(claimed.idempotencyKey),
                // Skipping quiet hours is a choice someone must be able to account for.
                urgent: context.urgent === true,
                send_at: claimed.sendAt ? new Date(claimed.sendAt).toISOString() : null,
              },
            },
            manager,
          );
          return claimed;
        });
        return { message };
      } catch (error) {
        if (!claimConflictOf(error)) throw error;
        const resolution = await this.resolveConflict(row, context);
        if (resolution !== 'retry') return { replay: resolution };
      }
    }
    throw new Error('Could not claim the message after repeated key conflicts');
  }

  /**
   * Answers a claim that hit an existing row's key. Both keys can collide at once: an explicit
   * Idempotency-Key speaks first. 'retry' when the key was freed, by this call or by another
   * instance between the failed insert and the read.
   */
  private async resolveConflict(
    row: NewMessage,
    context: SendContext,
  ): Promise<SendOutcome | 'retry'> {
    const order: ClaimConflict[] = row.idempotencyKey
      ? ['idempotency_key', 'dedupe_key']
      : ['dedupe_key'];
    for (const conflict of order) {
      const key = conflict === 'dedupe_key' ? row.dedupeKey : row.idempotencyKey;
      const existing = key ? await this.store.findByClaim(conflict, row.apiKeyName, key) : null;
      if (!existing) continue;
      if (await this.releaseStale(conflict, existing)) return 'retry';
      return this.replay(conflict, existing, row, context);
    }
    return 'retry';
  }

  /** An Idempotency-Key past its TTL, or a duplicate key past the window or of a failed send, is freed. */
  private async releaseStale(conflict: ClaimConflict, existing: MessageEntity): Promise<boolean> {
    const ttl =
      conflict === 'dedupe_key' ? this.sending.dedupeWindowMs : this.sending.idempotencyTtlMs;
    const cutoff = new Date(Date.now() - ttl);
    const expired = new Date(existing.createdAt) < cutoff;
    // A failed send texted nobody: asking again is a new attempt, not a duplicate.
    const failedDuplicate = conflict === 'dedupe_key' && existing.status === 'failed';
    if (!expired && !failedDuplicate) return false;
    await this.audit.transaction((manager) =>
      this.store.releaseKey(
        manager,
        conflict,
        existing.id,
        expired ? { createdBefore: cutoff } : { status: 'failed' },
      ),
    );
    return true;
  }

  private async replay(
    conflict: ClaimConflict,
    existing: MessageEntity,
    row: NewMessage,
    context: SendContext,
  ): Promise<SendOutcome> {
    if (conflict === 'idempotency_key' && existing.requestFingerprint !== row.requestFingerprint) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used with a different request.',
        {
          status: HttpStatus.UNPROCESSABLE_ENTITY,
          agentMessage:
            "That request doesn't match the earlier one with the same key, so I didn't send it.",
        },
      );
    }
    if (existing.responseJson === null || existing.responseStatus === null) {
      throw new DomainError(
        conflict === 'dedupe_key' ? ErrorCode.DUPLICATE_IN_FLIGHT : ErrorCode.IDEMPOTENCY_IN_FLIGHT,
        'The same send is still in progress.',
        {
          status: HttpStatus.CONFLICT,
          retryable: true,
          agentMessage: "I'm already sending that text.",
          headers: { 'Retry-After': '1' },
        },
      );
    }
    this.metrics.recordSend(existing.tool, 'duplicate');
    await this.audit.append({
      actor: context.apiKeyName,
      action: 'sms.duplicate_replayed',
      outcome: 'success',
      messageId: existing.id,
      recipient: existing.recipient,
      requestId: context.requestId,
      conversationId: existing.conversationId,
      details: { via: conflict, tool: existing.tool },
    });
    const stored = JSON.parse(existing.responseJson) as Record<string, unknown>;
    if (conflict === 'idempotency_key') {
      return {
        status: existing.responseStatus,
        body: stored,
        headers: { 'Idempotent-Replayed': 'true' },
      };
    }
    const last4 = existing.recipient.slice(-4);
    return {
      status: existing.responseStatus,
      body: {
        ...stored,
        duplicate: true,
        agent_message:
          existing.status === 'unknown'
            ? `I already tried to send that to the number ending in ${last4} and couldn't confirm it, so I won't send it again right now.`
            : `I already texted that to the number ending in ${last4} a moment ago, so I didn't send it again.`,
      },
      headers: {},
    };
  }

  private async settle(
    message: MessageEntity,
    context: SendContext,
    settlement: {
      status: MessageStatus;
      providerSid?: string | null;
      errorCode?: string | null;
      response: { status: number; body: object };
    },
  ): Promise<void> {
    const [action, outcome] = outcomeOf(settlement.status);
    this.metrics.recordSend(message.tool, settlement.status);
    try {
      await this.audit.transaction(async (manager) => {
        await this.store.settle(manager, message.id, settlement);
        await this.audit.append(
          {
            actor: context.apiKeyName,
            action,
            outcome,
            messageId: message.id,
            recipient: message.recipient,
            requestId: context.requestId,
            conversationId: message.conversationId,
            details: {
              tool: message.tool,
              status: settlement.status,
              provider_sid: settlement.providerSid ?? null,
              error_code: settlement.errorCode ?? null,
            },
          },
          manager,
        );
      });
    } catch (error) {
      // Never report a send without its audit record: the row stays 'accepted' for reconciliation.
      this.logger.error({ err: error, messageId: message.id }, 'Could not settle a send');
      throw new DomainError(ErrorCode.AUDIT_WRITE_FAILED, 'The send could not be recorded.', {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        retryable: false,
        agentMessage:
          "I couldn't confirm whether the text went through. Please don't ask me to send it again right now.",
        cause: error,
      });
    }
  }

  private async settleFailure(
    message: MessageEntity,
    context: SendContext,
    error: unknown,
  ): Promise<void> {
    if (error instanceof DomainError && error.code === ErrorCode.AUDIT_WRITE_FAILED) return;
    const isTransportError = error instanceof TransportError;
    const status: MessageStatus =
      isTransportError && error.outcome === 'failed' ? 'failed' : 'unknown';
    const domainError =
      error instanceof DomainError
        ? error
        : new DomainError(ErrorCode.INTERNAL_ERROR, 'Internal error.', {
            status: HttpStatus.INTERNAL_SERVER_ERROR,
            agentMessage: "I couldn't confirm whether the text went through.",
          });
    if (isTransportError && error.providerCode === 21610) {
      // Twilio knows the patient replied STOP: remember it so no later send reaches Twilio.
      await this.consent
        .recordProviderOptOut(message.recipient, {
          requestId: context.requestId,
          messageId: message.id,
        })
        .catch((consentError: unknown) =>
          this.logger.error(
            { err: consentError, messageId: message.id },
            'Could not record an opt-out',
          ),
        );
    }
    try {
      await this.settle(message, context, {
        status,
        errorCode: domainError.code,
        response: { status: domainError.status, body: errorBody(domainError, context.requestId) },
      });
    } catch {
      // settle() logged it; the caller hears the original error.
    }
  }

  private async needsFooter(phone: NormalizedPhone): Promise<boolean> {
    if (!this.sending.firstTextFooter) return false;
    return !(await this.store.hasTexted(this.hasher.hash(phone.e164)));
  }

  /** MMS reaches US and Canadian numbers through Twilio; the attachment is a link like any other. */
  private checkMms(mediaUrl: string, phone: NormalizedPhone): void {
    this.linkPolicy.checkMediaUrl(mediaUrl);
    const northAmerican = phone.country
      ? ['US', 'CA'].includes(phone.country)
      : phone.callingCode === '1';
    if (!northAmerican) {
      throw new DomainError(
        ErrorCode.MMS_NOT_SUPPORTED,
        'MMS (media_url) goes to US and Canadian numbers only.',
        {
          status: HttpStatus.UNPROCESSABLE_ENTITY,
          agentMessage: "I can't send a picture to that number, only a text.",
          details: { field: 'media_url' },
        },
      );
    }
  }

  private notice(
    phone: NormalizedPhone,
    requestedLanguage?: string,
  ): { notice: string } | undefined {
    const notices = [
      ...(phone.isValid ? [] : [UNASSIGNED_NUMBER_NOTICE]),
      ...(requestedLanguage
        ? [`No templates for language "${requestedLanguage}": the text was sent in English.`]
        : []),
    ];
    return notices.length > 0 ? { notice: notices.join(' ') } : undefined;
  }
}

function messageNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'No message has that id.', {
    status: HttpStatus.NOT_FOUND,
    agentMessage: "I couldn't find that message.",
  });
}

function cannotSchedule(): DomainError {
  return new DomainError(
    ErrorCode.SCHEDULING_UNAVAILABLE,
    'This text falls in quiet hours or asks for a later time, and scheduling needs TWILIO_MESSAGING_SERVICE_SID.',
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage:
        "It's outside texting hours for the patient and I can't schedule texts right now, so I didn't send it.",
    },
  );
}

function optedOut(): DomainError {
  return new DomainError(
    ErrorCode.RECIPIENT_OPTED_OUT,
    'The recipient has opted out of texts (replied STOP).',
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage:
        "This number has opted out of texts, so I can't send it. I can give you the information by phone instead, or the patient can reply START to opt back in.",
    },
  );
}

function outcomeOf(status: MessageStatus): [AuditAction, AuditOutcome] {
  if (status === 'failed') return ['sms.failed', 'failure'];
  if (status === 'unknown') return ['sms.unknown', 'unknown'];
  if (status === 'scheduled') return ['sms.scheduled', 'success'];
  return ['sms.sent', 'success'];
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A stable digest of what was asked: the same key with a different request is a conflict. */
function fingerprint(tool: string, dto: ToolRequestDto): string {
  const sorted = Object.fromEntries(
    Object.entries(dto as unknown as Record<string, unknown>).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
  );
  return sha256(JSON.stringify({ tool, body: sorted }));
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
    send_at: message.sendAt ? new Date(message.sendAt).toISOString() : null,
    created_at: new Date(message.createdAt).toISOString(),
    updated_at: new Date(message.updatedAt).toISOString(),
  };
}
