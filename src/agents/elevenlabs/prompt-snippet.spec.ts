import { buildPromptSnippet } from './prompt-snippet.js';
import type { ElevenLabsToolBody } from './tool-definitions.js';

function tool(name: string, description: string): ElevenLabsToolBody {
  return {
    tool_config: {
      type: 'webhook',
      name,
      description,
      api_schema: { url: `https://gateway.example.com/api/sms/${name}` },
    },
  };
}

const TOOLS = [
  tool('send_sms', 'Send a short text message.\n  Use it only when no other tool fits.'),
  tool('send_copay_card', 'Text the copay card. Use it when the patient asks for it.'),
];

describe('buildPromptSnippet', () => {
  it('says when to use each tool, in the words of its description', () => {
    const snippet = buildPromptSnippet(TOOLS, 'any');

    expect(snippet).toContain(
      '- send_sms: Send a short text message. Use it only when no other tool fits.',
    );
    expect(snippet).toContain(
      '- send_copay_card: Text the copay card. Use it when the patient asks for it.',
    );
  });

  it('sends the agent to check_text_status when a text did not arrive, when it has that tool', () => {
    const withStatus = [...TOOLS, tool('check_text_status', 'Check whether the texts arrived.')];

    expect(buildPromptSnippet(withStatus, 'any')).toMatch(
      /didn't arrive, call check_text_status and tell them what it says/,
    );
    expect(buildPromptSnippet(TOOLS, 'any')).not.toContain('check_text_status');
    expect(buildPromptSnippet(TOOLS, 'any')).toMatch(/ask the patient for a mobile number/);
  });

  it('sends the agent to record_text_opt_out when the patient asks for no more texts', () => {
    const withOptOut = [
      ...TOOLS,
      tool('record_text_opt_out', 'Record that the patient wants no texts.'),
    ];

    expect(buildPromptSnippet(withOptOut, 'any')).toMatch(
      /asks you to stop texting them, call record_text_opt_out right away/,
    );
    expect(buildPromptSnippet(TOOLS, 'any')).not.toContain('record_text_opt_out');
  });

  it('names only the tools it is given', () => {
    expect(buildPromptSnippet([TOOLS[1]], 'any')).not.toContain('- send_sms:');
  });

  it('has the agent confirm the number by its last four digits, never read it whole', () => {
    const snippet = buildPromptSnippet(TOOLS, 'any');

    expect(snippet).toMatch(/confirm the mobile number with the patient/i);
    expect(snippet).toMatch(/only by its last four digits/);
    expect(snippet).toMatch(/Never read a full phone number aloud/);
  });

  it('under caller_only, texts the calling number and never asks for another', () => {
    const snippet = buildPromptSnippet(TOOLS, 'caller_only');

    expect(snippet).toMatch(/only go to the number the patient is calling from/);
    expect(snippet).not.toMatch(/confirm the mobile number/i);
    expect(snippet).toMatch(/Never read a full phone number aloud/);
  });

  it('tells the agent to call once and to say the agent_message', () => {
    const snippet = buildPromptSnippet(TOOLS, 'any');

    expect(snippet).toMatch(/Call a tool once per text/);
    expect(snippet).toMatch(/agent_message/);
  });
});
