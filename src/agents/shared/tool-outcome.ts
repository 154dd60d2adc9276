import { DomainError } from '../../common/errors/domain-error.js';
import { errorBody } from '../../common/errors/error-body.js';
import type { SendPipeline } from '../../send/send-pipeline.js';
import type { SendResult, ToolCall } from '../../send/tool-call.js';

/**
 * What one tool call came to, for a way in that answers in its platform's shape rather than
 * with HTTP statuses: the sentence the agent says, the stable code of a refusal, and the body
 * the REST way in would have answered (a result, or the error contract). Read from the body
 * alone, so every tool and every kind of result renders without code per tool.
 */
export interface ToolOutcome {
  ok: boolean;
  /** The status the REST way in would answer with. */
  status: number;
  kind: SendResult['kind'] | 'refused';
  agentMessage: string;
  /** The refusal's code: thrown, or in a replayed failure's stored body. */
  code?: string;
  body: Record<string, unknown>;
}

/** Runs the call through the pipeline; only a failure that is not a DomainError escapes. */
export async function runToolCall(pipeline: SendPipeline, call: ToolCall): Promise<ToolOutcome> {
  try {
    const result = await pipeline.run(call);
    const body = result.body as Record<string, unknown>;
    const code = (body.error as { code?: unknown } | undefined)?.code;
    return {
      ok: result.status < 400,
      status: result.status,
      kind: result.kind,
      agentMessage: typeof body.agent_message === 'string' ? body.agent_message : '',
      ...(typeof code === 'string' ? { code } : {}),
      body,
    };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return {
      ok: false,
      status: error.status,
      kind: 'refused',
      agentMessage: error.agentMessage,
      code: error.code,
      body: { ...errorBody(error, call.requestId) },
    };
  }
}

/** Platforms that take one line (Vapi) or read the text aloud: no line breaks. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
