import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { toolCallerOf } from '../../auth/requester.js';
import { requestIdOf } from '../../common/http/request-id.js';
import { appConfig } from '../../config/app.config.js';
import { policyConfig } from '../../config/policy.config.js';
import { SendPipeline } from '../../send/send-pipeline.js';
import { bindCallContext, oneLine, runToolCall } from '../shared/index.js';
import { readRetellFunctionCall, retellIdempotencyKey } from './retell-request.js';

/** The answer Retell hands the LLM: the agent sentence first, then the REST body. */
export interface RetellFunctionResult {
  result: string;
  [field: string]: unknown;
}

/**
 * The Retell way in: a custom function through the send pipeline. Refusals are answered 200
 * too: Retell retries any other status, and the LLM should read the sentence, not a failure.
 */
@Injectable()
export class RetellWayIn {
  constructor(
    private readonly pipeline: SendPipeline,
    @Inject(policyConfig.KEY) private readonly policy: ConfigType<typeof policyConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async handle(body: unknown, req: AuthenticatedRequest): Promise<RetellFunctionResult> {
    const call = readRetellFunctionCall(body, this.app.bodyLimitBytes);
    const outcome = await runToolCall(this.pipeline, {
      tool: call.name,
      input: bindCallContext(call.args, call.context, {
        callerOnly: this.policy.recipientPolicy === 'caller_only',
      }),
      caller: toolCallerOf(req, 'retell'),
      idempotencyKey: retellIdempotencyKey(call),
      requestId: requestIdOf(req),
    });
    return { result: oneLine(outcome.agentMessage), ...outcome.body };
  }
}
