import { UnitOfWork } from '../database/unit-of-work.js';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import type { AuditAction, AuditOutcome } from '../audit/audit-event.js';
import { DomainError } from '../common/errors/domain-error.js';
import { errorBody } from '../common/errors/error-body.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { ConsentService } from '../consent/consent.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { MessageEntity, MessageStatus } from '../messages/message.entity.js';
import { MessageStore, type Settlement } from '../messages/message.store.js';
import { ProviderError } from '../providers/provider-error.js';
import type { SendContext, SendStage } from './send-stage.js';
import type { SendResult } from './tool-call.js';

/** Records how a claimed send ended: the row and its outcome event commit together. */
@Injectable()
export class SettleStage implements SendStage {
  private readonly logger = new Logger(SettleStage.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: MessageStore,
    private readonly audit: AuditLogService,
    private readonly consent: ConsentService,
    private readonly metrics: MetricsService,
  ) {}

  /** Settles the accepted text with its answer, stored for replays, and ends the send. */
  async run(send: SendContext): Promise<SendResult> {
    const { status, providerSid } = send.get('receipt');
    const answer = send.get('answer');
    await this.settle(send.get('message'), send.call.requestId, {
      status,
      providerSid,
      response: { status: HttpStatus.CREATED, body: answer },
    });
    return {
      kind: send.get('schedule') ? 'scheduled' : 'sent',
      status: HttpStatus.CREATED,
      body: answer,
      headers: {},
    };
  }

  async settle(
    message: MessageEntity,
    requestId: string,
    settlement: Settlement & { response: { status: number; body: object } },
  ): Promise<void> {
    const [action, outcome] = outcomeOf(settlement.status);
    this.metrics.recordSend(message.tool, settlement.status);
    try {
      await this.unitOfWork.run(async (manager) => {
        await this.store.settle(manager, message.id, settlement);
        await this.audit.append(
          {
            actor: message.apiKeyName,
            action,
            outcome,
            messageId: message.id,
            recipient: message.recipient,
            requestId,
            conversationId: message.conversationId,
            details: {
              tool: message.tool,
              agent_id: message.agentId,
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

  /** A send that threw after its claim: 'failed' when the provider surely did not take it. */
  async settleFailure(message: MessageEntity, requestId: string, error: unknown): Promise<void> {
    if (error instanceof DomainError && error.code === ErrorCode.AUDIT_WRITE_FAILED) return;
    const isTransportError = error instanceof ProviderError;
    const status: MessageStatus =
      isTransportError && error.outcome === 'failed' ? 'failed' : 'unknown';
    const domainError =
      error instanceof DomainError
        ? error
        : new DomainError(ErrorCode.INTERNAL_ERROR, 'Internal error.', {
            status: HttpStatus.INTERNAL_SERVER_ERROR,
            agentMessage: "I couldn't confirm whether the text went through.",
          });
    if (isTransportError && error.code === ErrorCode.RECIPIENT_OPTED_OUT) {
      // The provider knows the patient opted out: remember it so no later send reaches it.
      await this.consent
        .recordProviderOptOut(message.recipient, { requestId, messageId: message.id })
        .catch((consentError: unknown) =>
          this.logger.error(
            { err: consentError, messageId: message.id },
            'Could not record an opt-out',
          ),
        );
    }
    try {
      await this.settle(message, requestId, {
        status,
        errorCode: domainError.code,
        response: { status: domainError.status, body: errorBody(domainError, requestId) },
      });
    } catch {
      // settle() logged it; the caller hears the original error.
    }
  }
}

function outcomeOf(status: MessageStatus): [AuditAction, AuditOutcome] {
  if (status === 'failed') return ['sms.failed', 'failure'];
  if (status === 'unknown') return ['sms.unknown', 'unknown'];
  if (status === 'scheduled') return ['sms.scheduled', 'success'];
  return ['sms.sent', 'success'];
}
