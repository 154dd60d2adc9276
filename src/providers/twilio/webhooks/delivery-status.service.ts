import { UnitOfWork } from '../../../database/unit-of-work.js';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '../../../audit/audit-log.service.js';
import { TWILIO_ACTOR } from '../../../audit/audit-event.js';
import { MessageStore } from '../../../messages/message.store.js';
import { messageStatusFromTwilio, statusesBefore } from './delivery-status.js';
import type { StatusCallback } from './status-callback.js';

export interface StatusCallbackResult {
  applied: boolean;
  reason?: 'unknown_message' | 'unknown_status' | 'not_newer';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Applies Twilio's delivery status callbacks to message rows, with an audit event for each change. */
@Injectable()
export class DeliveryStatusService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditLogService,
    private readonly messages: MessageStore,
  ) {}

  /** `callback` as parseStatusCallback() checked it. */
  async apply(
    callback: StatusCallback,
    requestId: string,
    messageId?: string,
  ): Promise<StatusCallbackResult> {
    const sid = callback.MessageSid;
    const providerStatus = callback.MessageStatus;
    const next = messageStatusFromTwilio(providerStatus);
    const errorCode = callback.ErrorCode ?? null;

    return this.unitOfWork.run(async (manager) => {
      const message = await this.messages.findForCallback(
        manager,
        sid,
        messageId && UUID.test(messageId) ? messageId : undefined,
      );
      let result: StatusCallbackResult;
      if (!message) result = { applied: false, reason: 'unknown_message' };
      else if (!next) result = { applied: false, reason: 'unknown_status' };
      else {
        // Conditional update: concurrent or out-of-order callbacks can only move a message forward.
        const moved = await this.messages.advance(manager, message.id, statusesBefore(next), {
          status: next,
          // A send whose answer never arrived learns its sid from the callback.
          providerSid: message.providerSid ? undefined : (sid ?? null),
          errorCode: errorCode ? `TWILIO_${errorCode}` : undefined,
        });
        result = moved ? { applied: true } : { applied: false, reason: 'not_newer' };
      }
      // A callback that changes nothing (a replay of a captured one, an older status arriving
      // late, a message this service never sent) adds no event: replays must not grow the log.
      if (!result.applied) return result;
      await this.audit.append(
        {
          actor: TWILIO_ACTOR,
          action: 'twilio.status',
          outcome: 'success',
          messageId: message?.id ?? null,
          recipient: message?.recipient ?? null,
          requestId,
          conversationId: message?.conversationId ?? null,
          details: {
            provider_sid: sid ?? null,
            agent_id: message?.agentId ?? null,
            provider_status: providerStatus,
            // In the service's words, which events out read: the status and the stored code.
            status: next ?? null,
            message_error_code: errorCode ? `TWILIO_${errorCode}` : null,
            error_code: errorCode,
            applied: true,
          },
        },
        manager,
      );
      return result;
    });
  }
}
