import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AddressInfo } from 'node:net';
import { createTestApp } from './support/test-app.js';

const MCP_KEY = 'mcp-agent-key-0123456789abcdefghij';
const API_KEYS = `mcp-agent:${MCP_KEY}:sms.send:mcp`;

async function mcpClient(baseUrl: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'e2e-agent-host', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers } }),
  );
  return client;
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Its own file: the logger binds to stdout once per process, before another app could. */
describe('MCP request logs (e2e)', () => {
  const CALLER = '+12025550165';
  const TEXT = 'Your biopsy results are ready';
  let app: INestApplication;
  let lines: string[];
  let spy: ReturnType<typeof jest.spyOn>;
  beforeAll(async () => {
    lines = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    app = await createTestApp({ env: { API_KEYS, LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await app.close();
    spy.mockRestore();
  });

  it('hold neither the caller number from the host header, nor the text, nor the key', async () => {
    const client = await mcpClient(await listen(app), {
      Authorization: `Bearer ${MCP_KEY}`,
      'X-Caller-Number': CALLER,
    });
    const result = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: CALLER, message: TEXT },
    })) as CallToolResult;
    await client.close();

    expect(result.isError).toBeFalsy();
    const all = lines.join('');
    expect(all).toContain('[redacted]');
    for (const secret of [MCP_KEY, TEXT, CALLER.slice(2)]) expect(all).not.toContain(secret);
  });
});
