import type { OpenAPIObject } from '@nestjs/swagger';
import type { ToolExport } from '../elevenlabs/elevenlabs.service.js';
import { responseTimeoutSecs } from '../elevenlabs/tool-definitions.js';
import { type JsonSchema, toolParameters } from '../shared/index.js';

export const BLAND_API_KEY_PLACEHOLDER = 'YOUR_GATEWAY_API_KEY';

/**
 * Bland's call variables (docs.bland.ai/tutorials/dynamic-data): {{phone_number}} is always
 * the other party, the patient; {{call_id}} the call. Bland documents no agent id variable.
 */
export const BLAND_CALL_BINDINGS: Readonly<Record<string, string>> = {
  conversation_id: '{{call_id}}',
  caller_id: '{{phone_number}}',
};

/** Words Bland refuses in a custom tool's name (POST /v1/tools). */
const RESERVED_WORDS = new Set(
  'input speak transfer switch wait finish press button say pause record play dial hang'.split(' '),
);

/** One body for Bland's POST /v1/tools (a custom tool). */
export interface BlandCustomTool {
  name: string;
  description: string;
  speech: string;
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: Record<string, string>;
  input_schema: JsonSchema;
  response: Record<string, string>;
  timeout: number;
}

/**
 * The registry's tools as Bland custom tools calling the REST endpoints as they are: the LLM
 * fills the input schema, Bland's call variables fill the call context (and, under
 * caller_only, the recipient), and the agent_message comes back as {{agent_message}}.
 */
export function buildBlandTools(exported: ToolExport): BlandCustomTool[] {
  const { document, tools, settings } = exported;
  const base = settings.publicBaseUrl.replace(/\/+$/, '');
  return tools.map((tool) => {
    const inputSchema = toolParameters(document, tool.name, settings.recipientPolicy);
    const body: Record<string, string> = Object.fromEntries(
      Object.keys(inputSchema.properties ?? {}).map((field) => [field, `{{input.${field}}}`]),
    );
    Object.assign(body, BLAND_CALL_BINDINGS);
    if (settings.recipientPolicy === 'caller_only') body.phone_number = '{{phone_number}}';
    return {
      name: blandName(tool.name),
      description: tool.description,
      speech: 'One moment while I send that text.',
      url: `${base}${pathOf(document, tool.name)}`,
      method: 'POST',
      headers: {
        Authorization: `Bearer ${BLAND_API_KEY_PLACEHOLDER}`,
        'Content-Type': 'application/json',
      },
      body,
      input_schema: inputSchema,
      // Error bodies carry agent_message too, so the agent can say a refusal.
      response: { agent_message: '$.agent_message' },
      timeout: responseTimeoutSecs(settings.requestDeadlineMs) * 1000,
    };
  });
}

/**
 * The tool's name without the words Bland reserves (record_text_opt_out is text_opt_out there):
 * Bland calls the tool's URL, so the name is only what its agent sees.
 */
export function blandName(toolName: string): string {
  const kept = toolName.split('_').filter((word) => !RESERVED_WORDS.has(word));
  if (kept.length === 0) {
    throw new Error(`Bland reserves every word of the tool name ${toolName}.`);
  }
  return kept.join('_');
}

function pathOf(document: OpenAPIObject, toolName: string): string {
  const entry = Object.entries(document.paths ?? {}).find(
    ([, item]) => item.post?.operationId === toolName,
  );
  if (!entry) throw new Error(`The OpenAPI document has no POST operation "${toolName}"`);
  return entry[0];
}
