import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditLogService } from '../audit/audit-log.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { sendingConfig } from '../config/sending.config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { MessageStore, type ClaimConflict, type NewMessage } from '../messages/message.store.js';
import { callerFacts, type SendResult, type ToolCall } from './tool-call.js';

/**
 * What a claim that hit an earlier row's key answers: the stored answer again (a replay or a
 * duplicate, audited), a 409 while the earlier send is in flight, a 422 for a key reused with
 * another request, or a retry once a stale key is freed.
 */
@Injectable()
export class ClaimConflicts {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(sendingConfig.KEY) private readonly sending: ConfigType<typeof sendingConfig>,
    private readonly store: MessageStore,
    private readonly audit: AuditLogService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Answers a claim that hit an existing row's key. Both keys can collide at once: an explicit
   * Idempotency-Key speaks first. 'retry' when the key was freed, by this call or by another
   * instance between the failed insert and the read.
   */
  async resolve(row: NewMessage, call: ToolCall): Promise<SendResult | 'retry'> {
    const order: ClaimConflict[] = row.idempotencyKey
      ? ['idempotency_key', 'dedupe_key']
      : ['dedupe_key'];
    for (const conflict of order) {
      const key = conflict === 'dedupe_key' ? row.dedupeKey : row.idempotencyKey;
      const existing = key ? await this.store.findByClaim(conflict, row.apiKeyName, key) : null;
      if (!existing) continue;
      if (await this.releaseStale(conflict, existing)) return 'retry';
      return this.replay(conflict, existing, row, call);
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
    await this.unitOfWork.run((manager) =>
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
    call: ToolCall,
  ): Promise<SendResult> {
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
      actor: call.caller.apiKeyName,
      action: 'sms.duplicate_replayed',
      outcome: 'success',
      messageId: existing.id,
      recipient: existing.recipient,
      requestId: call.requestId,
      conversationId: existing.conversationId,
      details: {
        via: conflict,
        tool: existing.tool,
        ...callerFacts(call),
      },
    });
    const stored = JSON.parse(existing.responseJson) as Record<string, unknown>;
    if (conflict === 'idempotency_key') {
      return {
        kind: 'replayed',
        status: existing.responseStatus,
        body: stored,
        headers: { 'Idempotent-Replayed': 'true' },
      };
    }
    const last4 = existing.recipient.slice(-4);
    return {
      kind: 'duplicate',
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
}
