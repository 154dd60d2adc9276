import type { OpenAPIObject } from '@nestjs/swagger';
import type { RecipientPolicyMode } from '../../config/policy.config.js';
import type { ToolDefinition } from '../../tools/tool-definition.js';
import { type JsonSchema, toolParameters } from '../shared/index.js';

/** One entry of an MCP tools/list answer. */
export interface McpToolListing {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema & { type: 'object' };
}

/** Where the agent host puts the call context, one request header per field. */
export const MCP_CONTEXT_HEADERS = {
  conversationId: 'X-Conversation-Id',
  callerNumber: 'X-Caller-Number',
  agentId: 'X-Agent-Id',
} as const;

/** The tools/call `_meta` key a client sets to one value per tool call, kept across its retries. */
export const MCP_IDEMPOTENCY_META_KEY = 'agent-sms-gateway/idempotency-key';

/**
 * The registry's tools as MCP lists them, with the parameters of the served OpenAPI document:
 * the server and the mcp export show the same list.
 */
export function mcpToolList(
  document: OpenAPIObject,
  tools: readonly Pick<ToolDefinition, 'name' | 'summary' | 'description'>[],
  policy: RecipientPolicyMode,
): McpToolListing[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.summary,
    description: tool.description,
    inputSchema: { ...toolParameters(document, tool.name, policy), type: 'object' },
  }));
}
