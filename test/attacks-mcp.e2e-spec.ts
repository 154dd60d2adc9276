import type { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import request from 'supertest';
import { MCP_IDEMPOTENCY_META_KEY } from '../src/agents/mcp/mcp-tools.js';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';
import { listenOnLoopback, sentTo } from './support/voice-platforms.js';

/** Attacks on POST /mcp, each as a client would make it over HTTP. */
const MCP_KEY = 'mcp-agent-key-0123456789abcdefghij';
const ALLOWED_ORIGIN = 'https://voice.clinic.example';
const API_KEYS = [`agent:${TEST_API_KEY}:sms.send+sms.read`, `mcp-agent:${MCP_KEY}:sms.send:mcp`];

describe('MCP under attack (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        API_KEYS: API_KEYS.join(','),
        RATE_LIMIT_PER_KEY: '20',
        MCP_ALLOWED_ORIGINS: `${ALLOWED_ORIGIN}, https://other.clinic.example`,
      },
    });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    request(app.getHttpServer())
      .post('/mcp')
      .set('Authorization', `Bearer ${MCP_KEY}`)
      .set('Accept', 'application/json, text/event-stream')
      .set(headers)
      .send(body as object);
  const toolsCall = (id: number, to: string) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'send_sms', arguments: { phone_number: to, message: `Text ${id}.` } },
  });
  const toolsList = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

  it('refuses a JSON-RPC batch: 30 tools/call in one POST send nothing past a limit of 20', async () => {
    const to = '+12025557101';
    const batch = Array.from({ length: 30 }, (_, i) => toolsCall(i + 1, to));

    const res = await post(batch);

    expect(sentTo(app, to)).toBe(0);
    expect(res.status).toBe(400);
    expectErrorContract(res.body, 'VALIDATION_FAILED');
  });

  let origins = 0;
  it.each([
    ['a foreign page', 'https://evil.example'],
    ['an allowed host on another scheme', 'http://voice.clinic.example'],
    ['an opaque origin (sandboxed frame, file:)', 'null'],
  ])(
    'refuses a browser request from %s with 403, before any MCP message is read',
    async (_, origin) => {
      const to = `+120255572${String(++origins).padStart(2, '0')}`;
      const res = await post(toolsCall(1, to), { Origin: origin });

      expect(sentTo(app, to)).toBe(0);
      expect(res.status).toBe(403);
      expectErrorContract(res.body, 'FORBIDDEN');
    },
  );

  it('takes requests without Origin (server to server) and from MCP_ALLOWED_ORIGINS', async () => {
    const origins: Record<string, string>[] = [
      {},
      { Origin: ALLOWED_ORIGIN },
      { Origin: 'HTTPS://Voice.Clinic.Example' },
    ];
    for (const headers of origins) {
      const res = await post(toolsList, headers);
      expect(res.status).toBe(200);
      expect(res.body.result.tools.length).toBeGreaterThan(0);
    }
  });

  it('keeps a REST Idempotency-Key "mcp:<key>" apart from the MCP key <key>', async () => {
    const [restPatient, mcpPatient] = ['+12025557103', '+12025557104'];
    const rest = () =>
      request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .set('Idempotency-Key', 'mcp:collide-1')
        .send({ phone_number: restPatient, message: 'From REST.' });
    const first = await rest();
    const client = new Client({ name: 'attacks-host', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
      }),
    );
    const viaMcp = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: mcpPatient, message: 'From MCP.' },
      _meta: { [MCP_IDEMPOTENCY_META_KEY]: 'collide-1' },
    })) as CallToolResult;
    await client.close();
    const retried = await rest();

    expect(first.status).toBe(201);
    expect(viaMcp.isError).toBeFalsy();
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body.message_id).toBe(first.body.message_id);
    expect([sentTo(app, restPatient), sentTo(app, mcpPatient)]).toEqual([1, 1]);
  });
});
