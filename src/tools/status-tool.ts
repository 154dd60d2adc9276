import type { Type } from '@nestjs/common';
import { CheckTextStatusDto } from './dto/check-text-status.dto.js';
import type { ToolRequestDto } from './dto/tool-request.dto.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * The agent's answer to "I didn't get your text": what happened to this conversation's texts,
 * in one sentence, never the text. Served with every tool list (SmsModule adds it), so every
 * way in and export has it; it sends nothing, spends no limit and skips consent.
 */
export const checkTextStatusTool: ToolDefinition = {
  name: 'check_text_status',
  path: 'check-text-status',
  kind: 'status',
  summary: 'Say what happened to the texts sent in this conversation',
  description:
    "Check whether the texts sent during this call arrived. Use it when the patient says they didn't get a text, or asks whether it went through. Say the answer as it comes.",
  label: 'the text status',
  // The only tool without a phone number: it reads, it never texts.
  requestDto: CheckTextStatusDto as unknown as Type<ToolRequestDto>,
  variables: [],
  toVariables: () => ({}),
};

export function isStatusTool(tool: ToolDefinition): boolean {
  return tool.kind === 'status';
}

/** The tools a registry serves: the given ones, and the status tool. */
export function withStatusTool(tools: readonly ToolDefinition[]): readonly ToolDefinition[] {
  return tools.some(isStatusTool) ? tools : [...tools, checkTextStatusTool];
}
