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
}

/** What a way in renders: the answer's status, body and headers, and what happened. */
export interface SendResult {
  kind: 'sent' | 'scheduled' | 'replayed' | 'duplicate' | 'status';
  status: number;
  body: object;
  headers: Record<string, string>;
}
