import type { Vapi } from '@vapi-ai/server-sdk';
import type { ToolExport } from '../elevenlabs/elevenlabs.service.js';
import { toolParameters } from '../shared/index.js';

export const VAPI_TOOL_CALLS_PATH = '/api/vapi/tool-calls';
/** The Vapi credential holding our API key (Bearer), created in the dashboard. */
export const VAPI_CREDENTIAL_PLACEHOLDER = 'YOUR_VAPI_CREDENTIAL_ID';

/** A Vapi function tool (POST /tool), typed by the SDK. */
export type VapiFunctionTool = Vapi.CreateFunctionToolDto & { type: 'function' };

/** Vapi's server timeout: our deadline plus headroom, within Vapi's 1..300 s. */
function timeoutSeconds(requestDeadlineMs: number): number {
  return Math.min(300, Math.max(1, Math.ceil(requestDeadlineMs / 1000) + 5));
}

/** One Vapi function tool per registry tool, all posting to the one server URL. */
export function buildVapiTools({ document, tools, settings }: ToolExport): VapiFunctionTool[] {
  const url = `${settings.publicBaseUrl.replace(/\/+$/, '')}${VAPI_TOOL_CALLS_PATH}`;
  return tools.map((tool) => {
    const parameters = toolParameters(document, tool.name, settings.recipientPolicy);
    return {
      type: 'function',
      async: false,
      function: {
        name: tool.name,
        description: tool.description,
        parameters: parameters as unknown as Vapi.OpenAiFunctionParameters,
      },
      server: {
        url,
        credentialId: VAPI_CREDENTIAL_PLACEHOLDER,
        timeoutSeconds: timeoutSeconds(settings.requestDeadlineMs),
      },
    };
  });
}
