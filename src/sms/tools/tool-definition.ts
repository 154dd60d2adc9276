import type { Type } from '@nestjs/common';
import type { ToolRequestDto } from '../dto/tool-request.dto.js';

/**
 * Everything the service knows about one tool, declared once. The controller routes it,
 * Swagger documents it, and the ElevenLabs export, limits and audit read it.
 */
export interface ToolDefinition<TDto extends ToolRequestDto = ToolRequestDto> {
  /** The name the agent calls it by: ^[a-z0-9_]{1,64}$. */
  name: string;
  /** Path under /api/sms. */
  path: string;
  /** One line for Swagger. */
  summary: string;
  /** Tells the LLM when to use the tool. */
  description: string;
  /** What was sent, as the agent says it: "the copay card". */
  label: string;
  requestDto: Type<TDto>;
  /** Text with {{variables}}; every variable must be listed in `variables`. */
  template: string;
  variables: readonly string[];
  toVariables(dto: TDto): Record<string, string>;
}

/** Keeps a registry entry's DTO and variables in step at compile time. */
export function defineTool<TDto extends ToolRequestDto>(
  tool: ToolDefinition<TDto>,
): ToolDefinition {
  return tool;
}
