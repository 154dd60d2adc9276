import type { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { BlandCustomTool } from '../src/agents/bland/bland.export.js';
import { BLAND_WAY_IN } from '../src/agents/bland/bland.registration.js';
import { MCP_WAY_IN } from '../src/agents/mcp/mcp.registration.js';
import { WAYS_IN } from '../src/agents/ways-in.js';
import { toolParameters } from '../src/agents/shared/index.js';
import { ElevenLabsService, type ToolExport } from '../src/agents/elevenlabs/elevenlabs.service.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { renderBlandBody } from './support/bland-template.js';
import { sendLabReadyTool } from './support/lab-ready-tool.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const PUBLIC_BASE_URL = 'https://gateway.example.com';

/**
 * A sixth tool registered only in this app (test/support/lab-ready-tool.ts) reaches the MCP and
 * Bland exports and ways in, with no code for it in either.
 */
describe('every export carries every registered tool (e2e)', () => {
  let app: INestApplication;
  let exported: ToolExport;
  beforeAll(async () => {
    app = await createTestApp({
      tools: [...DEFAULT_TOOLS, sendLabReadyTool],
      env: { PUBLIC_BASE_URL },
    });
    exported = app.get(ElevenLabsService).toolExport();
  });
  afterAll(() => app.close());

  // servedTools() adds the status and opt-out tools to every tool list.
  const registered = () =>
    [...DEFAULT_TOOLS, sendLabReadyTool]
      .map((t) => t.name)
      .concat('check_text_status', 'record_text_opt_out');

  it.each(WAYS_IN.filter((wayIn) => wayIn.exporter).map((wayIn) => [wayIn.name, wayIn]))(
    "%s: the export names every registered tool, in the registry's order",
    (_, wayIn) => {
      const text = JSON.stringify(wayIn.exporter?.(exported));
      const named = (name: string) =>
        'exportedName' in wayIn && wayIn.exportedName ? wayIn.exportedName(name) : name;
      const positions = registered().map((name) => text.indexOf(`"${named(name)}"`));
      expect(positions).not.toContain(-1);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    },
  );

  it('mcp: the server URL, the headers, and every tool with its parameters', () => {
    const mcp = MCP_WAY_IN.exporter(exported);

    expect(mcp.server.url).toBe(`${PUBLIC_BASE_URL}/mcp`);
    expect(Object.keys(mcp.headers)).toEqual(
      expect.arrayContaining(['Authorization', 'X-Conversation-Id', 'X-Caller-Number']),
    );
    expect(mcp.tools.map((t) => t.name)).toEqual(registered());
    const lab = mcp.tools.find((t) => t.name === 'send_lab_ready');
    expect(lab).toMatchObject({ title: sendLabReadyTool.summary });
    expect(lab?.inputSchema).toEqual(
      toolParameters(exported.document, 'send_lab_ready', exported.settings.recipientPolicy),
    );
    expect(lab?.inputSchema.properties?.lab.enum).toEqual(['blood', 'imaging']);
  });

  it('bland: one custom tool per registered tool, posting to its REST endpoint', () => {
    const bland = BLAND_WAY_IN.exporter(exported);

    expect(bland.map((t) => t.name)).toEqual(registered().map(BLAND_WAY_IN.exportedName));
    const lab = bland.find((t) => t.name === 'send_lab_ready') as BlandCustomTool;
    expect(lab.url).toBe(`${PUBLIC_BASE_URL}/api/sms/send-lab-ready`);
    expect(lab.body).toMatchObject({ lab: '{{input.lab}}', conversation_id: '{{call_id}}' });
    expect(lab.input_schema.required).toEqual(expect.arrayContaining(['phone_number', 'lab']));
  });

  it('serves the sixth tool over MCP', async () => {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(registered());
      const result = (await client.callTool({
        name: 'send_lab_ready',
        arguments: { phone_number: '+12025550181', lab: 'blood' },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([
        { type: 'text', text: expect.stringContaining('the lab notice') },
      ]);
    } finally {
      await client.close();
    }
  });

  it('serves the sixth tool to the Bland definition', async () => {
    const lab = BLAND_WAY_IN.exporter(exported).find(
      (t) => t.name === 'send_lab_ready',
    ) as BlandCustomTool;
    const res = await request(app.getHttpServer())
      .post(lab.url.slice(PUBLIC_BASE_URL.length))
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .send(
        renderBlandBody(
          lab.body,
          { phone_number: '+12025550182', lab: 'imaging' },
          { phone_number: '+12025550182', call_id: 'bland-call-lab' },
        ),
      )
      .expect(201);
    expect(res.body.agent_message).toContain('the lab notice');
  });
});
