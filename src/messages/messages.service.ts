import { UnitOfWork } from '../database/unit-of-work.js';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuditReader } from '../audit/audit-event.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { ReadAuditor, readerFacts } from '../audit/read-auditor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { maskPhone } from '../common/mask.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { MessageStatusDto } from '../send/dto/send-result.dto.js';
import type { MessageEntity } from './message.entity.js';
import { MessageStore } from './message.store.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { ScheduledTextStore } from '../scheduling/scheduled-text.store.js';

/** Who asked: the audit log's actor and request, and where from (readerOf). */
export interface SendContext extends Omit<AuditReader, 'actor' | 'requestId'> {
  apiKeyName: string;
  requestId: string;
}

/** Who reads: a key sees the messages it sent, or every key's with sms.read_all. */
export interface MessageReader {
  apiKeyName: string;
  readsAll: boolean;
}

/**
 * The messages API: a message's status, and canceling a scheduled one. Another key's message
 * is answered as a missing one, so an id reveals nothing to a key that did not send it.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transport: ResilientProvider,
    private readonly store: MessageStore,
    private readonly audit: AuditLogService,
    private readonly metrics: MetricsService,
    private readonly texts: ScheduledTextStore,
    private readonly reads: ReadAuditor,
  ) {}

  /** Cancels a scheduled message that has not gone out, at the provider and in the store. */
  async cancel(id: string, context: SendContext): Promise<MessageStatusDto> {
    // Only the sender cancels: sms.read_all reads every message but cancels none of them.
    const owner = { apiKeyName: context.apiKeyName, readsAll: false };
    const message = await this.visible(id, owner);
    // An appointment confirmation's reminders go with it, even once the confirmation is sent.
    const reminders = (await this.store.findPendingReminders(message.id)).filter((r) =>
      isVisibleTo(r, owner),
    );
    if (message.status !== 'scheduled' && reminders.length === 0) {
      throw notCancelable(message.status);
    }
    for (const reminder of reminders) await this.cancelScheduled(reminder, context);
    if (message.status === 'scheduled') await this.cancelScheduled(message, context);
    return this.status(id, owner);
  }

  private async cancelScheduled(message: MessageEntity, context: SendContext): Promise<void> {
    // Held by the provider (scheduled there before the dispatcher existed), or by our dispatcher.
    if (message.providerSid) await this.transport.cancel(message.providerSid);
    await this.unitOfWork.run(async (manager) => {
      // Conditional: the dispatcher may have taken it for sending a moment ago.
      if (!(await this.store.cancel(manager, message.id))) throw notCancelable('being sent');
      await this.texts.forget(manager, message.id);
      await this.audit.append(
        {
          actor: context.apiKeyName,
          action: 'sms.canceled',
          outcome: 'success',
          messageId: message.id,
          recipient: message.recipient,
          requestId: context.requestId,
          conversationId: message.conversationId,
          details: {
            tool: message.tool,
            agent_id: message.agentId,
            provider_sid: message.providerSid,
            ...readerFacts({ ...context, actor: context.apiKeyName }),
          },
        },
        manager,
      );
    });
    this.metrics.recordSend(message.tool, 'canceled');
  }

  async status(id: string, reader: MessageReader): Promise<MessageStatusDto> {
    return toMessageStatus(await this.visible(id, reader));
  }

  /** GET /api/sms/messages/{id}: the status, recorded as a read of the patient's message. */
  async read(id: string, reader: MessageReader, who: AuditReader): Promise<MessageStatusDto> {
    const message = await this.visible(id, reader);
    await this.reads.record(who, {
      resource: 'message',
      recipients: [message.recipient],
      messageId: message.id,
      conversationId: message.conversationId,
      details: { tool: message.tool, agent_id: message.agentId },
    });
    return toMessageStatus(message);
  }

  private async visible(id: string, reader: MessageReader): Promise<MessageEntity> {
    const message = await this.store.findById(id);
    if (!message || !isVisibleTo(message, reader)) throw messageNotFound();
    return message;
  }
}

function isVisibleTo(message: MessageEntity, reader: MessageReader): boolean {
  return reader.readsAll || message.apiKeyName === reader.apiKeyName;
}

function notCancelable(status: string): DomainError {
  return new DomainError(
    ErrorCode.MESSAGE_NOT_CANCELABLE,
    `Only a scheduled message can be canceled; this one is ${status}.`,
    {
      status: HttpStatus.CONFLICT,
      agentMessage: "That text can't be canceled any more; it has already gone out or was stopped.",
    },
  );
}

function messageNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'No message has that id.', {
    status: HttpStatus.NOT_FOUND,
    agentMessage: "I couldn't find that message.",
  });
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
