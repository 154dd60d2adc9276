import type { AuditReader } from '../audit/audit-event.js';

/**
 * One request to run a tool, whatever the way in: plain data, no HTTP. The way in
 * authenticates the caller and fills this; the pipeline decides everything else.
 */
export interface ToolCall {
  /** The registry name, e.g. send_copay_card. */
  tool: string;
  /** The tool's fields as received; validated by the pipeline against the tool's DTO. */
  input: unknown;
  caller: ToolCaller;
  /** The Idempotency-Key header, or the platform's own tool-call id. */
  idempotencyKey?: string;
  requestId: string;
}

export interface ToolCaller {
  /** The API key's name: the actor in the audit log, the owner of its messages. */
  apiKeyName: string;
  /** Which way in: rest, scheduler, ... (recorded in the audit log's refusals). */
  platform: string;
  /** Which secret of the key was presented (ApiKeyIdentity.fingerprint). */
  keyFingerprint?: string | null;
  /** The client address of the request (TRUST_PROXY_HOPS applied), or 'unknown'. */
  clientIp?: string;
}

/** What a platform or the body said about the agent, only when it is an identifier. */
const AGENT_ID = /^[\w.:-]{1,128}$/;

/** agent_id as the platform bound it (or the body gave it), when it is an identifier. */
export function agentIdOf(call: ToolCall): string | undefined {
  const input = (typeof call.input === 'object' && call.input ? call.input : {}) as {
    agent_id?: unknown;
  };
  return typeof input.agent_id === 'string' && AGENT_ID.test(input.agent_id)
    ? input.agent_id
    : undefined;
}

/** The caller as the audit log's reader of a tool call (the status tool's read). */
export function readerOfCall(call: ToolCall): AuditReader {
  return {
    actor: call.caller.apiKeyName,
    requestId: call.requestId,
    platform: call.caller.platform,
    clientIp: call.caller.clientIp,
    keyFingerprint: call.caller.keyFingerprint ?? null,
  };
}

/**
 * Who asked, for the audit events of a tool call: the way in, the client address, the key's
 * fingerprint and the agent.
 */
export function callerFacts(call: ToolCall): Record<string, string> {
  const agentId = agentIdOf(call);
  return {
    platform: call.caller.platform,
    ...(call.caller.clientIp ? { client_ip: call.caller.clientIp } : {}),
    ...(call.caller.keyFingerprint ? { key_fingerprint: call.caller.keyFingerprint } : {}),
    ...(agentId ? { agent_id: agentId } : {}),
  };
}

/** What a way in renders: the answer's status, body and headers, and what happened. */
export interface SendResult {
  kind: 'sent' | 'scheduled' | 'replayed' | 'duplicate' | 'status' | 'opted_out';
  status: number;
  body: object;
  headers: Record<string, string>;
}
