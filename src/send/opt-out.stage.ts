import { HttpStatus, Injectable } from '@nestjs/common';
import { maskPhone } from '../common/mask.js';
import { ConsentService } from '../consent/consent.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { isOptOutTool } from '../tools/opt-out-tool.js';
import type { OptOutResultDto } from './dto/opt-out-result.dto.js';
import type { SendContext, SendStage } from './send-stage.js';
import { callerFacts, type SendResult } from './tool-call.js';

/**
 * record_text_opt_out answers here, once the number is read and the recipient policy has judged
 * it (under caller_only: the caller's own number, never one the model chose). It records the
 * opt-out as the patient's own words on the call (source voice), sends nothing and spends no
 * limit. A number already opted out (a replayed call, an earlier STOP) is not recorded again.
 */
@Injectable()
export class OptOutStage implements SendStage {
  constructor(
    private readonly consent: ConsentService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  run(send: SendContext): Promise<SendResult> | void {
    if (!isOptOutTool(send.get('tool'))) return;
    return this.optOut(send);
  }

  private async optOut(send: SendContext): Promise<SendResult> {
    const { call } = send;
    const e164 = send.get('phone').e164;
    const conversationId = send.get('dto').conversation_id ?? null;
    const already = await this.unitOfWork.run(async (manager) => {
      if (await this.consent.isOptedOut(e164, manager)) return true;
      await this.consent.record(
        e164,
        {
          state: 'opted_out',
          source: 'voice',
          actor: call.caller.apiKeyName,
          requestId: call.requestId,
          conversationId,
          facts: { ...callerFacts(call), tool: call.tool },
        },
        manager,
      );
      return false;
    });
    const body: OptOutResultDto = {
      success: true,
      phone_number: maskPhone(e164),
      state: 'opted_out',
      already_opted_out: already,
      conversation_id: conversationId,
      agent_message: `Done: the number ending in ${e164.slice(-4)} won't get any more texts from us. If the patient changes their mind, they can text START to get them again.`,
    };
    return { kind: 'opted_out', status: HttpStatus.OK, headers: {}, body };
  }
}
