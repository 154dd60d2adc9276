import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { INestApplication } from '@nestjs/common';
import { ElevenLabsService, type ToolExport } from '../src/agents/elevenlabs/elevenlabs.service.js';
import {
  buildElevenLabsTools,
  type ElevenLabsToolBody,
} from '../src/agents/elevenlabs/tool-definitions.js';
import { syncTools, type SyncOptions } from '../src/agents/elevenlabs/tool-sync.js';
import {
  startElevenLabsStub,
  webhookTool,
  type ElevenLabsStub,
} from './support/elevenlabs-stub.js';
import { servedTools } from '../src/tools/tool-registry.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const AGENT = 'agent_clinic_1';
const ELEVENLABS_KEY = 'xi-test-key-0123456789';
const SECRET_NAME = 'agent-sms-gateway-api-key';
const TOOL_NAMES = servedTools().map((tool) => tool.name);

describe('ElevenLabs sync against a local fake of the API (e2e)', () => {
  let app: INestApplication;
  let exported: ToolExport;
  let stub: ElevenLabsStub;
  let client: ElevenLabsClient;

  beforeAll(async () => {
    app = await createTestApp({ env: { PUBLIC_BASE_URL: 'https://gateway.example.com' } });
    exported = app.get(ElevenLabsService).toolExport();
    stub = await startElevenLabsStub({
      // The agent already has a tool someone made in the dashboard.
      agents: { [AGENT]: ['tool_lookup'] },
      tools: { tool_lookup: webhookTool('lookup_patient', 'https://crm.example.com/patients') },
    });
    client = new ElevenLabsClient({ apiKey: ELEVENLABS_KEY, baseUrl: stub.baseUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await stub.close();
    await app.close();
  });

  const definitions = (secretId: string): ElevenLabsToolBody[] =>
    buildElevenLabsTools(exported.document, exported.tools, { ...exported.settings, secretId });

  const sync = (options: Partial<SyncOptions> = {}) =>
    syncTools(client, {
      agentId: AGENT,
      definitions,
      secret: { name: SECRET_NAME },
      ...options,
    });

  it('refuses to run without a secret to reference, before writing anything', async () => {
    await expect(sync()).rejects.toThrow(
      `The workspace has no secret named "${SECRET_NAME}". Run with --create-secret`,
    );
    expect(stub.writes()).toEqual([]);
  });

  it('refuses an agent the workspace does not have, before writing anything', async () => {
    await expect(
      sync({ agentId: 'agent_missing', secret: { name: SECRET_NAME, value: TEST_API_KEY } }),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(stub.writes()).toEqual([]);
  });

  it('first run: stores the API key as a secret, creates every served tool and attaches them next to the existing one', async () => {
    const lines: string[] = [];

    const result = await sync({
      secret: { name: SECRET_NAME, value: TEST_API_KEY },
      report: (line) => lines.push(line),
    });

    expect([...stub.secrets.values()]).toEqual([{ name: SECRET_NAME, value: TEST_API_KEY }]);
    expect(result.tools.map((t) => [t.name, t.action])).toEqual(
      TOOL_NAMES.map((name) => [name, 'created']),
    );
    // What reached the API is exactly the export, with the new secret's id in the header.
    const created = stub
      .writes()
      .filter((c) => c.method === 'POST' && c.path === '/v1/convai/tools');
    expect(created.map((c) => c.body)).toEqual(definitions(result.secretId));
    expect(created[0].body).toMatchObject({
      tool_config: {
        api_schema: { request_headers: { 'X-API-Key': { secret_id: result.secretId } } },
      },
    });
    expect(stub.agents.get(AGENT)?.toolIds).toEqual([
      'tool_lookup',
      ...result.tools.map((t) => t.id),
    ]);
    expect(stub.calls.every((c) => c.apiKey === ELEVENLABS_KEY)).toBe(true);
    expect(lines).toEqual([
      `secret ${SECRET_NAME}: created (${result.secretId})`,
      ...result.tools.map((t) => `${t.name}: created (${t.id})`),
      `agent ${AGENT}: attached ${TOOL_NAMES.length} tool(s); it now has ${TOOL_NAMES.length + 1}`,
    ]);
  });

  it('second run: finds the secret and the tools, and changes nothing', async () => {
    const before = stub.writes().length;
    const agentBefore = stub.agents.get(AGENT)?.toolIds;
    const lines: string[] = [];

    const result = await sync({ report: (line) => lines.push(line) });

    expect(stub.writes().length).toBe(before);
    expect(result.tools.map((t) => t.action)).toEqual(TOOL_NAMES.map(() => 'unchanged'));
    expect(result.agentUpdated).toBe(false);
    expect(stub.agents.get(AGENT)?.toolIds).toEqual(agentBefore);
    expect(lines.at(-1)).toBe(`agent ${AGENT}: already has all ${TOOL_NAMES.length} tools`);
  });

  it('updates only a tool whose stored config drifted, keeping its id', async () => {
    const [id, config] = [...stub.tools].find(([, c]) => c.name === 'send_copay_card') as [
      string,
      Record<string, unknown>,
    ];
    stub.tools.set(id, { ...config, description: 'Edited by hand in the dashboard.' });
    const before = stub.writes().length;

    const result = await sync();

    expect(result.tools.filter((t) => t.action !== 'unchanged')).toEqual([
      { name: 'send_copay_card', id, action: 'updated' },
    ]);
    const writes = stub.writes().slice(before);
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH /v1/convai/tools/${id}`]);
    expect(stub.tools.get(id)?.description).toBe(
      exported.tools.find((t) => t.name === 'send_copay_card')?.description,
    );
  });

  it('keeps the pre-existing tool attached through every run', () => {
    const toolIds = stub.agents.get(AGENT)?.toolIds ?? [];
    expect(toolIds[0]).toBe('tool_lookup');
    expect(toolIds).toHaveLength(1 + TOOL_NAMES.length);
    expect(stub.tools.get('tool_lookup')?.name).toBe('lookup_patient');
  });

  it('re-attaches a tool someone detached, without creating it again', async () => {
    const agent = stub.agents.get(AGENT) as { toolIds: string[] };
    const [detached, ...kept] = agent.toolIds.slice(1);
    agent.toolIds = ['tool_lookup', ...kept];

    const result = await sync();

    expect(result.tools.every((t) => t.action === 'unchanged')).toBe(true);
    expect(result.agentUpdated).toBe(true);
    expect(agent.toolIds).toEqual(['tool_lookup', ...kept, detached]);
  });

  it('with --create-secret again, sets the value of the secret it already made', async () => {
    const lines: string[] = [];

    await sync({
      secret: { name: SECRET_NAME, value: 'rotated-key-0123456789abcdef' },
      report: (l) => lines.push(l),
    });

    expect([...stub.secrets.values()]).toEqual([
      { name: SECRET_NAME, value: 'rotated-key-0123456789abcdef' },
    ]);
    expect(lines[0]).toMatch(new RegExp(`^secret ${SECRET_NAME}: value set \\(secret_`));
  });
});
