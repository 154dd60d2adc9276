import type { ToolExport } from './elevenlabs.service.js';
import { buildElevenLabsTools } from './tool-definitions.js';
import { findSecret, listWebhookTools, sameToolConfig, type ElevenLabsApi } from './tool-sync.js';
import { fail, pass, warn, type CheckResult, type DoctorCheck } from '../../doctor/check.js';
import type { DoctorConfig } from '../../doctor/doctor.config.js';

export const ELEVENLABS_CHECK = 'ElevenLabs agent tools';

/**
 * What `npm run elevenlabs:sync` would do, without doing it: the agent's tools compared with
 * the export by the sync's own comparison. Reads only.
 */
export async function elevenLabsCheck(
  agentId: string | undefined,
  exported: ToolExport,
  api: ElevenLabsApi,
): Promise<CheckResult> {
  const sync = `npm run elevenlabs:sync -- --agent ${agentId ?? '<agent_id>'}`;
  if (!agentId) {
    return warn(
      ELEVENLABS_CHECK,
      'not compared: ELEVENLABS_AGENT_ID is not set',
      'Set ELEVENLABS_AGENT_ID to the agent that calls this service.',
    );
  }
  if (exported.placeholders.includes('PUBLIC_BASE_URL')) {
    return warn(
      ELEVENLABS_CHECK,
      'not compared: the tools’ URLs need PUBLIC_BASE_URL',
      'Set PUBLIC_BASE_URL, then run the doctor again.',
    );
  }
  try {
    // Loaded here, not at boot: the SDK's schemas are large and only the doctor needs them.
    const serialization = await import('@elevenlabs/elevenlabs-js/serialization/index.js');
    const agent = await api.conversationalAi.agents.get(agentId);
    const attached = agent.conversationConfig.agent?.prompt?.toolIds ?? [];
    const secretId = exported.secret.id ?? (await findSecret(api, exported.secret.name))?.secretId;
    if (!secretId) {
      return fail(
        ELEVENLABS_CHECK,
        `the workspace has no secret named ${exported.secret.name}`,
        `Run ${sync} --create-secret (it stores GATEWAY_API_KEY).`,
      );
    }
    const existing = await listWebhookTools(api);
    const problems: string[] = [];
    const desired = buildElevenLabsTools(exported.document, exported.tools, {
      ...exported.settings,
      secretId,
    });
    for (const body of desired) {
      const name = body.tool_config.name;
      const model = serialization.ToolRequestModel.parseOrThrow(body, {
        unrecognizedObjectKeys: 'fail',
      });
      const matches = existing.filter((t) => 'name' in t.toolConfig && t.toolConfig.name === name);
      const match = matches.find((t) => attached.includes(t.id)) ?? matches[0];
      if (!match) {
        problems.push(`${name} missing`);
        continue;
      }
      const current = await api.conversationalAi.tools.get(match.id);
      if (!sameToolConfig(model.toolConfig, current.toolConfig))
        problems.push(`${name} out of date`);
      else if (!attached.includes(match.id)) problems.push(`${name} not attached`);
    }
    if (problems.length > 0) {
      return fail(
        ELEVENLABS_CHECK,
        `agent ${agentId}: ${problems.join(', ')}`,
        `Run ${sync} to update the tools and attach them.`,
      );
    }
    return pass(
      ELEVENLABS_CHECK,
      `agent ${agentId} has all ${desired.length} tools, matching the export`,
    );
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    return fail(
      ELEVENLABS_CHECK,
      status
        ? `ElevenLabs answered ${status}`
        : `could not reach ElevenLabs: ${(error as Error).message}`,
      status === 404
        ? 'Check ELEVENLABS_AGENT_ID (the agent’s page, Agent ID).'
        : 'Check ELEVENLABS_API_KEY (its workspace and its convai permissions).',
    );
  }
}

/** The SDK loads on first use: it is most of the boot time and memory of what the service imports. */
export async function elevenLabsClient(config: DoctorConfig): Promise<ElevenLabsApi> {
  const { ElevenLabsClient } = await import('@elevenlabs/elevenlabs-js');
  return new ElevenLabsClient({
    apiKey: config.elevenLabsApiKey,
    baseUrl: config.elevenLabsBaseUrl,
  });
}

/** The doctor's ElevenLabs line, when ELEVENLABS_API_KEY lets it compare the agent's tools. */
export const elevenLabsDoctorCheck: DoctorCheck = {
  async run({ doctor, toolExport }) {
    if (!doctor.elevenLabsApiKey) return undefined;
    return elevenLabsCheck(
      doctor.elevenLabsAgentId,
      await toolExport(),
      await elevenLabsClient(doctor),
    );
  },
};
