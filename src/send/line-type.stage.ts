import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { lineTypeConfig, type LineTypeConfig } from '../config/line-type.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import type { LineType, LineTypeAnswer } from '../providers/sms-provider.js';
import { LineTypeStore } from '../policy/line-type.store.js';
import type { SendContext, SendStage } from './send-stage.js';
import { callerFacts, type ToolCall } from './tool-call.js';

/** Lines that never receive a text; non-fixed VoIP is a setting. */
const NEVER_TEXTABLE: ReadonlySet<LineType> = new Set(['landline', 'fixedVoip', 'tollFree']);

export function notMobile(lineType: LineType): DomainError {
  return new DomainError(
    ErrorCode.RECIPIENT_NOT_MOBILE,
    `The number is a ${lineType} line, which cannot receive texts.`,
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage:
        "That number looks like a landline, so it can't get texts. Is there a mobile number I can text instead?",
      details: { field: 'phone_number', line_type: lineType },
    },
  );
}

/**
 * Refuses a number that cannot receive texts before anything is sent: the provider's line
 * type lookup (billed), cached per recipient hash in the database so every instance asks once
 * per number per LINE_TYPE_CACHE_DAYS.
 */
@Injectable()
export class LineTypeStage implements SendStage {
  constructor(
    @Inject(lineTypeConfig.KEY) private readonly config: LineTypeConfig,
    private readonly transport: ResilientProvider,
    private readonly store: LineTypeStore,
    private readonly audit: AuditLogService,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  get isActive(): boolean {
    const { lineTypeLookup, simulated } = this.transport.capabilities;
    return (this.config.enabled ?? !simulated) && lineTypeLookup === true;
  }

  /** What a lookup costs when lookups are on: the preview adds it to its estimate. */
  get lookupPrice(): number | undefined {
    return this.isActive ? this.config.lookupPrice : undefined;
  }

  run(send: SendContext): Promise<void> {
    return this.check(send.get('phone').e164, send.get('recipientHash'), send.call);
  }

  async check(e164: string, recipientHash: string, call: ToolCall): Promise<void> {
    if (!this.isActive) return;
    const answer = await this.lineTypeOf(e164, recipientHash, call);
    if (!answer) return;
    const refused =
      NEVER_TEXTABLE.has(answer.type) ||
      (answer.type === 'nonFixedVoip' && !this.config.allowNonFixedVoip);
    if (refused) {
      this.metrics.recordLineTypeRefusal(answer.type);
      throw notMobile(answer.type);
    }
  }

  /** undefined: the lookup failed and LINE_TYPE_FAIL_OPEN lets the text through. */
  private async lineTypeOf(
    e164: string,
    recipientHash: string,
    call: ToolCall,
  ): Promise<LineTypeAnswer | undefined> {
    const now = this.clock.now();
    const cached = await this.store.find(
      recipientHash,
      new Date(now.getTime() - this.config.cacheTtlMs),
    );
    if (cached) {
      this.metrics.recordLineTypeCacheHit();
      return cached;
    }
    let answer: LineTypeAnswer;
    try {
      answer = await this.transport.lookupLineType(e164);
    } catch (error) {
      this.metrics.recordLineTypeLookup('failed');
      if (!this.config.failOpen) throw error;
      await this.audit.append({
        actor: call.caller.apiKeyName,
        action: 'line_type.lookup_failed',
        outcome: 'failure',
        recipient: e164,
        requestId: call.requestId,
        details: {
          tool: call.tool,
          ...callerFacts(call),
          error_code: error instanceof DomainError ? error.code : 'INTERNAL_ERROR',
          // The text goes out unchecked: LINE_TYPE_FAIL_OPEN.
          sent_unchecked: true,
        },
      });
      return undefined;
    }
    this.metrics.recordLineTypeLookup('success');
    await this.store.save(recipientHash, answer, now);
    return answer;
  }
}
