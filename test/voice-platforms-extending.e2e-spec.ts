import type { INestApplication } from '@nestjs/common';
import { sign } from 'retell-sdk';
import { RETELL_WAY_IN } from '../src/agents/retell/retell.registration.js';
import { VAPI_WAY_IN } from '../src/agents/vapi/vapi.registration.js';
import { ElevenLabsService } from '../src/agents/elevenlabs/elevenlabs.service.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { sendLabReadyTool } from './support/lab-ready-tool.js';
import { BASE_TEST_ENV, createTestApp } from './support/test-app.js';
import {
  listenOnLoopback,
  PLATFORM_KEYS,
  postJson,
  RETELL_KEY,
  VAPI_KEY,
  vapiToolCalls,
} from './support/voice-platforms.js';

const RETELL_API_KEY = 'key_retell_webhook_0123456789abcdef';
const PUBLIC_BASE_URL = 'https://gateway.example.com';

/** The example sixth tool, registered only in this app: no Vapi or Retell code names it. */
describe('a sixth tool on Vapi and Retell (e2e)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({
      tools: [...DEFAULT_TOOLS, sendLabReadyTool],
      env: {
        API_KEYS: `${BASE_TEST_ENV.API_KEYS},${PLATFORM_KEYS}`,
        RETELL_API_KEY,
        PUBLIC_BASE_URL,
      },
    });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  const lastText = () => app.get<SandboxProvider>(SMS_PROVIDER).recent()[0];

  it('is in the Vapi export, with its parameters from its DTO', () => {
    const tools = VAPI_WAY_IN.exporter(app.get(ElevenLabsService).toolExport());
    expect(tools.map((t) => t.function?.name)).toEqual([
      ...DEFAULT_TOOLS.map((t) => t.name),
      'send_lab_ready',
      'check_text_status',
      'record_text_opt_out',
    ]);
    const labReady = tools.find((t) => t.function?.name === 'send_lab_ready');
    expect(labReady).toMatchObject({
      type: 'function',
      function: {
        description: sendLabReadyTool.description,
        parameters: { type: 'object', required: ['phone_number', 'lab'] },
      },
      server: { url: `${PUBLIC_BASE_URL}/api/vapi/tool-calls` },
    });
    expect(labReady?.function?.parameters?.properties.lab).toMatchObject({
      enum: ['blood', 'imaging'],
    });
  });

  it('is in the Retell export, with its parameters from its DTO', () => {
    const tools = RETELL_WAY_IN.exporter(app.get(ElevenLabsService).toolExport());
    // The defaults, the sixth tool, and the status and opt-out tools every list gets.
    expect(tools).toHaveLength(DEFAULT_TOOLS.length + 3);
    const labReady = tools.find((t) => t.name === 'send_lab_ready');
    expect(labReady).toMatchObject({
      type: 'custom',
      description: sendLabReadyTool.description,
      url: `${PUBLIC_BASE_URL}/api/retell/custom-function`,
      args_at_root: false,
      parameters: { type: 'object', required: ['phone_number', 'lab'] },
    });
    expect(JSON.stringify(labReady?.parameters)).not.toContain('conversation_id');
  });

  it('runs through the Vapi way in', async () => {
    const to = '+12025556001';
    const answer = await postJson(
      `${base}/api/vapi/tool-calls`,
      JSON.stringify(
        vapiToolCalls({
          callId: '5f0c2a1e-0000-4000-8000-00000000abcd',
          customerNumber: to,
          calls: [
            { id: 'call_lab', name: 'send_lab_ready', args: { phone_number: to, lab: 'blood' } },
          ],
        }),
      ),
      { authorization: `Bearer ${VAPI_KEY}` },
    );
    expect((answer.body.results as { result: string }[])[0].result).toContain('the lab notice');
    expect(lastText()).toMatchObject({
      to,
      body: 'Your blood results are ready in the patient portal.',
    });
  });

  it('runs through the Retell way in', async () => {
    const to = '+12025556002';
    const raw = JSON.stringify({
      name: 'send_lab_ready',
      call: { call_id: 'retell_lab_call_1', direction: 'inbound', from_number: to },
      args: { phone_number: to, lab: 'imaging' },
    });
    const answer = await postJson(`${base}/api/retell/custom-function`, raw, {
      'x-api-key': RETELL_KEY,
      'x-retell-signature': await sign(raw, RETELL_API_KEY),
    });
    expect(answer.body.result).toContain('the lab notice');
    expect(lastText()).toMatchObject({
      to,
      body: 'Your imaging results are ready in the patient portal.',
    });
  });
});
