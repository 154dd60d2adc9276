import { UnitOfWork } from '../database/unit-of-work.js';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import { AuditChainState } from '../audit/chain-state.js';
import { KeyedDigests } from '../common/keyed-digest.js';
import { TextLimits, type Reservation } from '../limits/text-limits.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { claimConflictOf, MessageStore, type NewMessage } from '../messages/message.store.js';
import { ClaimConflicts } from './claim-conflicts.js';
import type { SendContext, SendStage, TemplateFacts } from './send-stage.js';
import { callerFacts, type SendResult, type ToolCall } from './tool-call.js';

const MAX_CLAIM_ATTEMPTS = 3;

export type Claim = { message: MessageEntity } | { replay: SendResult };

/**
 * Takes the message row for a text, or answers from an earlier one. The row's unique keys
 * (Idempotency-Key, duplicate key) make the claim one atomic step across instances, and the
 * text limits are spent inside the same transaction: a replay, an in-flight duplicate or a
 * limit refusal leaves no row and spends nothing.
 */
@Injectable()
export class ClaimStage implements SendStage {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: MessageStore,
    private readonly audit: AuditLogService,
    private readonly limits: TextLimits,
    private readonly digests: KeyedDigests,
    private readonly chain: AuditChainState,
    private readonly conflicts: ClaimConflicts,
  ) {}

  /** Ends the send with the earlier answer on a replay or a duplicate. */
  async run(send: SendContext): Promise<SendResult | void> {
    const urgent = (send.get('dto') as { urgent?: unknown }).urgent === true;
    const claim = await this.claim(send.get('row'), send.call, urgent, send.get('template'));
    if ('replay' in claim) return claim.replay;
    send.set('message', claim.message);
  }

  async claim(
    plainRow: NewMessage,
    call: ToolCall,
    urgent: boolean,
    template?: TemplateFacts,
  ): Promise<Claim> {
    this.chain.assertTextsAllowed();
    // The one door into messages: digests of patient data are stored keyed (KeyedDigests).
    const row: NewMessage = {
      ...plainRow,
      bodySha256: this.digests.of(plainRow.bodySha256),
      dedupeKey: plainRow.dedupeKey && this.digests.of(plainRow.dedupeKey),
      requestFingerprint:
        plainRow.requestFingerprint && this.digests.of(plainRow.requestFingerprint),
    };
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      let reservation: Reservation | undefined;
      try {
        const message = await this.unitOfWork.run(async (manager) => {
          const claimed = await this.store.claim(manager, row);
          reservation = await this.limits.reserve({
            recipientHash: claimed.recipientHash,
            conversationId: claimed.conversationId,
          });
          await this.audit.append(
            {
              actor: claimed.apiKeyName,
              action: 'sms.requested',
              outcome: 'success',
              messageId: claimed.id,
              recipient: claimed.recipient,
              requestId: call.requestId,
              conversationId: claimed.conversationId,
              details: {
                tool: claimed.tool,
                ...callerFacts(call),
                agent_id: claimed.agentId,
                ...(template
                  ? { template_language: template.language, template_version: template.version }
                  : {}),
                body_sha256: claimed.bodySha256,
                segments: claimed.segments,
                encoding: claimed.encoding,
                idempotency_key: Boolean(claimed.idempotencyKey),
                // Skipping quiet hours is a choice someone must be able to account for.
                urgent,
                send_at: claimed.sendAt ? new Date(claimed.sendAt).toISOString() : null,
              },
            },
            manager,
          );
          return claimed;
        });
        return { message };
      } catch (error) {
        // Rolled back: the text was not accepted, so it spends nothing.
        await reservation?.release();
        if (!claimConflictOf(error)) throw error;
        const resolution = await this.conflicts.resolve(row, call);
        if (resolution !== 'retry') return { replay: resolution };
      }
    }
    throw new Error('Could not claim the message after repeated key conflicts');
  }
}
