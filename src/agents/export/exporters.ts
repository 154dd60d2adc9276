import type { ToolExport } from '../elevenlabs/elevenlabs.service.js';
import { buildElevenLabsTools } from '../elevenlabs/tool-definitions.js';
import { buildMcpExport } from '../mcp/mcp.export.js';
import { buildBlandTools } from '../bland/bland.export.js';
import { buildVapiTools } from '../vapi/vapi.export.js';
import { buildRetellTools } from '../retell/retell.export.js';

/**
 * One exporter per platform: the registry's tools as that platform's tool definitions, built
 * from the served OpenAPI document (src/agents/shared/tool-parameters.ts), so a new tool reaches
 * every platform with no per-platform code.
 */
export type PlatformExporter = (exported: ToolExport) => unknown;

export const EXPORTERS = {
  elevenlabs: (exported) =>
    buildElevenLabsTools(exported.document, exported.tools, exported.settings),
  mcp: buildMcpExport,
  bland: buildBlandTools,
  vapi: buildVapiTools,
  retell: buildRetellTools,
} satisfies Record<string, PlatformExporter>;

export type ExportPlatform = keyof typeof EXPORTERS;

export function isExportPlatform(name: string): name is ExportPlatform {
  return Object.hasOwn(EXPORTERS, name);
}
