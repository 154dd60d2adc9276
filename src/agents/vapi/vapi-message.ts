import type { Vapi } from '@vapi-ai/server-sdk';
import {
  type CallContext,
  isRecord,
  malformedPlatformRequest,
  readToolArguments,
  stringAt,
} from '../shared/index.js';

/** One tool call of a `tool-calls` message, its arguments parsed. */
export interface VapiToolInvocation {
  id: string;
  name: string;
  /** The arguments as an object; a string that is not JSON goes on as it is, for the pipeline to refuse. */
  args: unknown;
}

export interface VapiToolCallsMessage {
  invocations: VapiToolInvocation[];
  context: CallContext;
  /** The call's id (a chat's for text conversations): with the tool call id, the idempotency key. */
  callId?: string;
}

const MAX_TOOL_CALLS = 32;

/** How many tool calls a server message asks for (1 for anything else): each counts as a request. */
export function toolCallCount(body: unknown): number {
  const message = isRecord(body) ? body.message : undefined;
  if (!isRecord(message) || message.type !== 'tool-calls') return 1;
  const list = Array.isArray(message.toolCallList)
    ? message.toolCallList
    : Array.isArray(message.toolWithToolCallList)
      ? message.toolWithToolCallList
      : [];
  return Math.max(1, Math.min(list.length, MAX_TOOL_CALLS));
}

/**
 * Reads a server message: the tool calls of a `tool-calls` message, or undefined for any other
 * type (status updates, transcripts, end-of-call reports), which have nothing for us to do.
 * The SDK types `arguments` as a JSON string; Vapi's documentation shows an object: both are
 * taken, and held to a tool body's size (`maxArgumentBytes`) and depth.
 */
export function readToolCallsMessage(
  body: unknown,
  maxArgumentBytes: number,
): VapiToolCallsMessage | undefined {
  const message = isRecord(body) ? body.message : undefined;
  if (!isRecord(message))
    throw malformedPlatformRequest('A Vapi server message has a message object.');
  if (message.type !== 'tool-calls') return undefined;
  const typed = message as unknown as Partial<Vapi.ServerMessageToolCalls>;
  const list = Array.isArray(typed.toolCallList)
    ? typed.toolCallList
    : Array.isArray(typed.toolWithToolCallList)
      ? typed.toolWithToolCallList.map((item) => (item as { toolCall?: unknown }).toolCall)
      : undefined;
  if (!list || list.length === 0) {
    throw malformedPlatformRequest('A tool-calls message lists its calls in message.toolCallList.');
  }
  if (list.length > MAX_TOOL_CALLS) {
    throw malformedPlatformRequest(
      `A tool-calls message may hold at most ${MAX_TOOL_CALLS} calls.`,
    );
  }
  const call = isRecord(typed.call)
    ? (typed.call as unknown as Record<string, unknown>)
    : undefined;
  const customer = isRecord(call?.customer)
    ? call.customer
    : isRecord(typed.customer)
      ? typed.customer
      : undefined;
  const callId =
    stringAt(call, 'id') ?? stringAt(isRecord(typed.chat) ? typed.chat : undefined, 'id');
  return {
    invocations: list.map((raw, index) => readInvocation(raw, index, maxArgumentBytes)),
    callId,
    context: {
      conversationId: callId,
      callerNumber: stringAt(customer, 'number'),
      agentId: stringAt(call, 'assistantId'),
    },
  };
}

function readInvocation(raw: unknown, index: number, maxBytes: number): VapiToolInvocation {
  const call = isRecord(raw) ? (raw as Partial<Vapi.ToolCall>) : undefined;
  const fn = isRecord(call?.function) ? call.function : undefined;
  if (typeof call?.id !== 'string' || !call.id || typeof fn?.name !== 'string' || !fn.name) {
    throw malformedPlatformRequest(
      `Tool call ${index + 1} needs an id and a function with a name.`,
    );
  }
  return { id: call.id, name: fn.name, args: readToolArguments(fn.arguments, maxBytes) };
}
