import type { ToolRequestDto } from '../../src/tools/dto/tool-request.dto.js';
import type { ToolDefinition } from '../../src/tools/tool-definition.js';
import { exampleRequest } from '../../src/tools/tool-fields.js';

/**
 * A request to any registered tool, built from the examples its DTO documents (and `fields` on
 * top): how a spec that iterates the registry gets a request for a tool it has never heard of.
 */
export function exampleDto(
  tool: ToolDefinition,
  fields: Record<string, unknown> = {},
): ToolRequestDto {
  return Object.assign(new tool.requestDto(), exampleRequest(tool), fields);
}
