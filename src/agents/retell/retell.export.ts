import type { LlmResponse } from 'retell-sdk/resources/llm';
import type { ToolExport } from '../elevenlabs/elevenlabs.service.js';
import { toolParameters } from '../shared/index.js';

export const RETELL_FUNCTION_PATH = '/api/retell/custom-function';
/** Our API key, pasted into the custom function's headers. */
export const GATEWAY_API_KEY_PLACEHOLDER = 'YOUR_GATEWAY_API_KEY';

export type RetellCustomTool = LlmResponse.CustomTool;

/**
 * One Retell custom function per registry tool (an LLM's general_tools), all posting to the
 * one URL with { name, call, args }: args_at_root stays off, since the call binds the patient.
 */
export function buildRetellTools({ document, tools, settings }: ToolExport): RetellCustomTool[] {
  const url = `${settings.publicBaseUrl.replace(/\/+$/, '')}${RETELL_FUNCTION_PATH}`;
  return tools.map((tool) => ({
    type: 'custom',
    name: tool.name,
    description: tool.description,
    url,
    method: 'POST',
    args_at_root: false,
    headers: { 'X-API-Key': GATEWAY_API_KEY_PLACEHOLDER },
    parameters: toolParameters(
      document,
      tool.name,
      settings.recipientPolicy,
    ) as unknown as LlmResponse.CustomTool.Parameters,
    // The answer's result is a sentence for the patient: the agent says it.
    speak_during_execution: false,
    speak_after_execution: true,
    timeout_ms: Math.min(600_000, settings.requestDeadlineMs + 5_000),
  }));
}
