import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RefusalAuditor } from '../audit/refusal-auditor.js';
import { isAudited, markAudited } from '../common/errors/audited.js';
import { DomainError } from '../common/errors/domain-error.js';
import { appConfig } from '../config/app.config.js';
import { SendContext, ORDERED_SEND_STAGES, type SendStage } from './send-stage.js';
import { SettleStage } from './settle.stage.js';
import type { SendResult, ToolCall } from './tool-call.js';

/** Room left after the transport for settling the row and its audit event. */
const SETTLE_MARGIN_MS = 500;

/**
 * The one send path behind every way in: a ToolCall in, a SendResult out. Runs the stages of
 * SEND_STAGES in order until one answers, and keeps the two promises every stage relies on:
 * a refusal is recorded in the audit log once, with the patient's number when it was read;
 * a message once claimed is settled even when a later stage fails.
 */
@Injectable()
export class SendPipeline {
  constructor(
    @Inject(ORDERED_SEND_STAGES) private readonly stages: readonly SendStage[],
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly refusals: RefusalAuditor,
    private readonly settlement: SettleStage,
  ) {}

  async run(call: ToolCall): Promise<SendResult> {
    const send = new SendContext(call, Date.now() + this.app.requestDeadlineMs - SETTLE_MARGIN_MS);
    try {
      for (const stage of this.stages) {
        const result = await stage.run(send);
        if (result) return result;
      }
      throw new Error('No send stage answered');
    } catch (error) {
      if (send.has('message')) {
        await this.settlement.settleFailure(send.get('message'), call.requestId, error);
        // The outcome event is written: the refusal audit must not add another.
        throw typeof error === 'object' && error !== null ? markAudited(error) : error;
      }
      if (error instanceof DomainError && error.status < 500 && !isAudited(error)) {
        const recipient = send.has('phone') ? send.get('phone').e164 : null;
        await this.refusals.recordToolRefusal(call, recipient, error);
        markAudited(error);
      }
      throw error;
    }
  }
}
