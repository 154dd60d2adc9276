import type { WayInRegistration } from '../way-in.js';
import { buildMcpExport } from './mcp.export.js';
import { McpModule } from './mcp.module.js';

/** Any MCP client, over Streamable HTTP at /mcp. */
export const MCP_WAY_IN = {
  name: 'mcp',
  keysRetries: true,
  module: () => McpModule,
  exporter: buildMcpExport,
} satisfies WayInRegistration;
