import type { ToolExport } from '../elevenlabs/elevenlabs.service.js';
import {
  MCP_CONTEXT_HEADERS,
  MCP_IDEMPOTENCY_META_KEY,
  mcpToolList,
  type McpToolListing,
} from './mcp-tools.js';

export const MCP_API_KEY_PLACEHOLDER = 'YOUR_GATEWAY_API_KEY';

/** What an MCP client needs to reach the tools: where, with which headers, and what it gets. */
export interface McpExport {
  server: { url: string; transport: 'streamable-http'; stateless: true };
  headers: Record<string, string>;
  idempotency: { meta_key: string; header: string; note: string };
  tools: McpToolListing[];
}

export function buildMcpExport(exported: ToolExport): McpExport {
  const { document, tools, settings } = exported;
  const callerOnly = settings.recipientPolicy === 'caller_only';
  return {
    server: {
      url: `${settings.publicBaseUrl.replace(/\/+$/, '')}/mcp`,
      transport: 'streamable-http',
      stateless: true,
    },
    headers: {
      Authorization: `Bearer ${MCP_API_KEY_PLACEHOLDER}`,
      [MCP_CONTEXT_HEADERS.conversationId]: 'the call or conversation id, set by the agent host',
      [MCP_CONTEXT_HEADERS.callerNumber]: callerOnly
        ? "the caller's number (E.164), set by the agent host: required, it is the only recipient"
        : "the caller's number (E.164), set by the agent host",
      [MCP_CONTEXT_HEADERS.agentId]: 'the agent id, set by the agent host (optional)',
    },
    idempotency: {
      meta_key: MCP_IDEMPOTENCY_META_KEY,
      header: 'Idempotency-Key',
      note: 'One value per tool call, the same on its retries: tools/call params._meta, else the header.',
    },
    tools: mcpToolList(document, tools, settings.recipientPolicy),
  };
}
