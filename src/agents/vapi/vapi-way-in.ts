import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Vapi } from '@vapi-ai/server-sdk';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { toolCallerOf } from '../../auth/requester.js';
import { requestIdOf } from '../../common/http/request-id.js';
import { appConfig } from '../../config/app.config.js';
import { policyConfig } from '../../config/policy.config.js';
import { SendPipeline } from '../../send/send-pipeline.js';
import {
  bindCallContext,
  oneLine,
  platformIdempotencyKey,
  runToolCall,
  type ToolOutcome,
} from '../shared/index.js';
import { readToolCallsMessage, type VapiToolInvocation } from './vapi-message.js';

const MAX_IDEMPOTENCY_KEY = 255;

/** Vapi's ids, stable across its retries of a message: its retry replays the first answer. */
export function vapiIdempotencyKey(callId: string | undefined, toolCallId: string): string {
  const key = platformIdempotencyKey('vapi', `${callId ?? '-'}:${toolCallId}`);
  return key.length <= MAX_IDEMPOTENCY_KEY
    ? key
    : platformIdempotencyKey('vapi', `sha256:${createHash('sha256').update(key).digest('hex')}`);
}

/**
 * The Vapi way in: each call of a `tool-calls` message through the send pipeline, in order,
 * answered as Vapi documents (HTTP 200, one result per call, single-line strings): `result` or
 * `error` holds the agent sentence the REST answer carries, `message` makes the assistant say
 * exactly that, and `metadata` carries the REST body (the refusal's code included).
 */
@Injectable()
export class VapiWayIn {
  constructor(
    private readonly pipeline: SendPipeline,
    @Inject(policyConfig.KEY) private readonly policy: ConfigType<typeof policyConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async handle(
    body: unknown,
    req: AuthenticatedRequest,
  ): Promise<Vapi.ServerMessageResponseToolCalls | Record<string, never>> {
    const message = readToolCallsMessage(body, this.app.bodyLimitBytes);
    if (!message) return {};
    const results: Vapi.ToolCallResult[] = [];
    for (const invocation of message.invocations) {
      const outcome = await runToolCall(this.pipeline, {
        tool: invocation.name,
        input: bindCallContext(invocation.args, message.context, {
          callerOnly: this.policy.recipientPolicy === 'caller_only',
        }),
        caller: toolCallerOf(req, 'vapi'),
        idempotencyKey: vapiIdempotencyKey(message.callId, invocation.id),
        requestId: requestIdOf(req),
      });
      results.push(toResult(invocation, outcome));
    }
    return { results };
  }
}

function toResult(invocation: VapiToolInvocation, outcome: ToolOutcome): Vapi.ToolCallResult {
  const sentence = oneLine(outcome.agentMessage);
  const common = { toolCallId: invocation.id, name: invocation.name, metadata: outcome.body };
  return outcome.ok
    ? { ...common, result: sentence, message: { type: 'request-complete', content: sentence } }
    : { ...common, error: sentence, message: { type: 'request-failed', content: sentence } };
}
