import { createHash } from 'node:crypto';
import {
  canonicalJson,
  isRecord,
  malformedPlatformRequest,
  platformIdempotencyKey,
  readToolArguments,
  stringAt,
  type CallContext,
} from '../shared/index.js';

/** A custom-function request as Retell posts it: `{ name, call, args }`. */
export interface RetellFunctionCall {
  name: string;
  args: unknown;
  callId: string;
  context: CallContext;
}

/**
 * Reads the request. The call object is what binds the conversation and the patient, so the
 * custom function must send it: with "Payload: args only" (args_at_root) it does not. The
 * arguments are held to a tool body's size (`maxArgumentBytes`) and depth.
 */
export function readRetellFunctionCall(
  body: unknown,
  maxArgumentBytes: number,
): RetellFunctionCall {
  const record = isRecord(body) ? body : undefined;
  const call = isRecord(record?.call) ? record.call : undefined;
  const name = stringAt(record, 'name');
  const callId = stringAt(call, 'call_id');
  if (!name || !callId) {
    throw malformedPlatformRequest(
      'A Retell custom function posts { name, call, args } with call.call_id: turn "Payload: args only" off.',
    );
  }
  // An outbound call's patient is the number the agent dialled; an inbound one's, the caller.
  const patient = call?.direction === 'outbound' ? 'to_number' : 'from_number';
  return {
    name,
    args: readToolArguments(record?.args ?? undefined, maxArgumentBytes),
    callId,
    context: {
      conversationId: callId,
      callerNumber: stringAt(call, patient),
      agentId: stringAt(call, 'agent_id'),
    },
  };
}

/**
 * Retell sends no id of the function invocation, and retries a failed or timed-out request
 * with the same body: its call, the function and the arguments (keys in any order) make the
 * key. The same function with the same arguments twice in one call is therefore one text.
 */
export function retellIdempotencyKey(call: RetellFunctionCall): string {
  const args = createHash('sha256').update(canonicalJson(call.args)).digest('hex');
  return platformIdempotencyKey(
    'retell',
    `${call.callId.slice(0, 128)}:${call.name.slice(0, 64)}:${args}`,
  );
}
