import type { RecipientPolicyMode } from '../../config/policy.config.js';
import type { ElevenLabsToolBody } from './tool-definitions.js';

type NamedTool = { tool_config: Pick<ElevenLabsToolBody['tool_config'], 'name' | 'description'> };

/**
 * The part of the agent's system prompt that goes with the tools. Built from the exported
 * definitions, so the prompt names exactly the tools the agent has.
 */
export function buildPromptSnippet(
  tools: readonly NamedTool[],
  policy: RecipientPolicyMode,
): string {
  const lines = tools.map(
    ({ tool_config: t }) => `- ${t.name}: ${t.description.replace(/\s+/g, ' ').trim()}`,
  );
  const number =
    policy === 'caller_only'
      ? [
          '- Texts can only go to the number the patient is calling from; never ask for another number. Before sending, ask whether that number can receive texts.',
        ]
      : [
          '- Before sending, confirm the mobile number with the patient. Read it back only by its last four digits ("the number ending in 0143").',
        ];
  return [
    '# Texting the patient',
    '',
    'You can send the patient a text message with these tools. Use the most specific tool that fits; use send_sms only when none does.',
    ...lines,
    '',
    'Rules for every text:',
    ...number,
    '- Never read a full phone number aloud, not even the one the patient gave you. Say only its last four digits.',
    '- Only send a text the patient asked for or agreed to, and never put diagnoses or other medical details in it beyond what the tool asks for.',
    '- Call a tool once per text. If it is slow, tell the patient you are sending it; do not call it again.',
    '- When the tool answers, tell the patient what its agent_message says, in your own words. If it failed, say so and do not retry unless the patient asks you to.',
    "- If a tool says the number can't get texts (a landline), ask the patient for a mobile number and send to that one.",
    ...(tools.some(({ tool_config: t }) => t.name === 'check_text_status')
      ? [
          "- If the patient says a text didn't arrive, call check_text_status and tell them what it says before offering to send it again.",
        ]
      : []),
    ...(tools.some(({ tool_config: t }) => t.name === 'record_text_opt_out')
      ? [
          '- If the patient asks you to stop texting them, call record_text_opt_out right away, tell them what it says, and send them no more texts.',
        ]
      : []),
  ].join('\n');
}
