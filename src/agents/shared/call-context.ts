import { CONTEXT_FIELDS } from './tool-parameters.js';

/**
 * What a voice platform knows about the call, read from its own request (never from the
 * LLM's arguments): the conversation or call id, the caller's number, the agent.
 */
export interface CallContext {
  conversationId?: string;
  callerNumber?: string;
  agentId?: string;
}

/**
 * Binds the platform's call context into a tool's input, as ElevenLabs binds its system
 * variables. The context fields the LLM sent are dropped first, whether or not the platform
 * knows them: on a web call (no caller number) a caller_id from the arguments would let the
 * LLM choose whom RECIPIENT_POLICY=caller_only treats as the caller. Under caller_only the
 * exported tools do not ask the LLM for phone_number, so a missing one is the caller's; a
 * named one stays, for the policy to judge against the platform's caller. Anything that is
 * not a plain object goes on unchanged, for the pipeline to refuse.
 */
export function bindCallContext(
  input: unknown,
  context: CallContext,
  options: { callerOnly: boolean },
): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const bound: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const field of CONTEXT_FIELDS) delete bound[field];
  if (context.conversationId !== undefined) bound.conversation_id = context.conversationId;
  if (context.agentId !== undefined) bound.agent_id = context.agentId;
  if (context.callerNumber !== undefined) {
    bound.caller_id = context.callerNumber;
    if (options.callerOnly && bound.phone_number === undefined) {
      bound.phone_number = context.callerNumber;
    }
  }
  return bound;
}
