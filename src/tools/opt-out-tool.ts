import { RecordTextOptOutDto } from './dto/record-text-opt-out.dto.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * A patient who asks on the call to stop getting texts: consent may be revoked by any
 * reasonable means, words on a call included, and must be honoured promptly (FCC, 2024). Served
 * with every tool list, like the status tool, because any deployment that texts must be able to
 * honour it; it sends nothing and spends no limit.
 */
// Named without "record", "stop" or "hang": Bland refuses some plain words in a tool's name.
export const optOutOfTextsTool: ToolDefinition = {
  name: 'record_text_opt_out',
  path: 'record-text-opt-out',
  kind: 'opt_out',
  summary: "Stop all texts to the patient's number, at their request",
  description:
    'Record that the patient does not want any more texts from us. Use it when the patient asks on the call to stop texting them (for example "stop texting me" or "no more texts"). No text is sent. Say the answer as it comes.',
  label: 'the opt-out',
  requestDto: RecordTextOptOutDto,
  variables: [],
  toVariables: () => ({}),
};

export function isOptOutTool(tool: ToolDefinition): boolean {
  return tool.kind === 'opt_out';
}
