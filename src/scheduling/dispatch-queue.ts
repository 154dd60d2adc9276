import { Injectable } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import { SYSTEM_ACTOR, type AuditAction, type AuditOutcome } from '../audit/audit-event.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { MessageEntity, MessageStatus } from '../messages/message.entity.js';
import { MessageStore } from '../messages/message.store.js';
import type { ProviderReceipt } from '../providers/sms-provider.js';
import type { ScheduledTextEntity } from './scheduled-text.entity.js';
import { ScheduledTextStore } from './scheduled-text.store.js';

/**
 * The dispatcher's queue in the database: claims the due rows, reads a held text, and settles
 * each row, forgetting its text, with its audit event in the same unit of work.
 */
@Injectable()
export class DispatchQueue {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: MessageStore,
    private readonly texts: ScheduledTextStore,
    private readonly audit: AuditLogService,
  ) {}

  /** Each due row moves 'scheduled' -> 'sending' by a conditional update: one instance wins it. */
  claimDue(now: Date, batchSize: number): Promise<MessageEntity[]> {
    return this.unitOfWork.run((manager) => this.store.claimDue(manager, now, batchSize));
  }

  textOf(message: MessageEntity): Promise<ScheduledTextEntity | null> {
    return this.unitOfWork.run((manager) => this.texts.find(manager, message.id));
  }

  async markSent(message: MessageEntity, receipt: ProviderReceipt): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      await this.store.advance(manager, message.id, ['sending'], {
        status: receipt.status === 'scheduled' ? 'queued' : receipt.status,
        providerSid: receipt.providerSid,
      });
      await this.texts.forget(manager, message.id);
      await this.record(manager, message, 'sms.sent', 'success', {
        provider_sid: receipt.providerSid,
      });
    });
  }

  /** Settles a claimed row that did not (or may not have) go out, and forgets its text. */
  async close(
    message: MessageEntity,
    status: MessageStatus,
    errorCode: string,
    action: AuditAction,
    outcome: AuditOutcome,
  ): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      await this.store.advance(manager, message.id, ['sending'], { status, errorCode });
      await this.texts.forget(manager, message.id);
      await this.record(manager, message, action, outcome, { error_code: errorCode });
    });
  }

  private async record(
    manager: Parameters<Parameters<UnitOfWork['run']>[0]>[0],
    message: MessageEntity,
    action: AuditAction,
    outcome: AuditOutcome,
    details: Record<string, string>,
  ): Promise<void> {
    await this.audit.append(
      {
        actor: SYSTEM_ACTOR,
        action,
        outcome,
        messageId: message.id,
        recipient: message.recipient,
        conversationId: message.conversationId,
        details: { tool: message.tool, agent_id: message.agentId, via: 'dispatcher', ...details },
      },
      manager,
    );
  }
}
