import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MCP_IDEMPOTENCY_META_KEY } from '../src/agents/mcp/mcp-tools.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { ToolRegistry } from '../src/tools/tool-registry.js';
import { textsPatient } from '../src/tools/tool-definition.js';
import {
  arrangeRefusal,
  expectAuditedOnce,
  REFUSAL_ENV,
  refusalCasesFor,
  refusalInput,
  restRefusal,
} from './support/refusal-cases.js';
import { exampleArguments } from './support/tool-examples.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const MCP_KEY = 'mcp-agent-key-0123456789abcdefghij';
const BLAND_KEY = 'bland-agent-key-0123456789abcdefgh';
const API_KEYS = [
  `agent:${TEST_API_KEY}:sms.send+sms.read`,
  `mcp-agent:${MCP_KEY}:sms.send:mcp`,
  `bland-agent:${BLAND_KEY}:sms.send:bland`,
].join(',');

/** What the agent host sets on every request of one call. */
const HOST_HEADERS = {
  Authorization: `Bearer ${MCP_KEY}`,
  'X-Conversation-Id': 'conv_mcp_e2e',
  'X-Agent-Id': 'agent_mcp_e2e',
};

type Answer = { code?: string; agentMessage: string; requestId: string };

/** An MCP host: the official SDK client over Streamable HTTP, with the headers the host sets. */
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

const structured = (result: CallToolResult) =>
  result.structuredContent as {
    agent_message: string;
    message_id?: string;
    request_id?: string;
    error?: { code: string };
  };

describe('MCP over Streamable HTTP (e2e)', () => {
  let app: INestApplication;
  let baseUrl: string;
  let document: OpenAPIObject;
  let client: Client;
  let sends: jest.SpiedFunction<SandboxProvider['send']>;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        API_KEYS,
        ...REFUSAL_ENV,
        LINK_ALLOWED_HOSTS: 'copay.example.com',
      },
    });
    baseUrl = await listen(app);
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    sends = jest.spyOn(app.get<SandboxProvider>(SMS_PROVIDER), 'send');
    client = await mcpClient(baseUrl, HOST_HEADERS);
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });
  beforeEach(() => sends.mockClear());

  const auditOf = (requestId: string) =>
    app.get(DataSource).getRepository(AuditEventEntity).findBy({ requestId });

  const viaMcp = async (tool: string, args: Record<string, unknown>): Promise<Answer> => {
    const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
    expect(result.isError).toBe(true);
    const body = structured(result);
    const text = result.content[0];
    expect(text).toMatchObject({ type: 'text', text: body.agent_message });
    return {
      code: body.error?.code,
      agentMessage: body.agent_message,
      requestId: body.request_id!,
    };
  };

  it('lists every registered tool with its description and a JSON Schema without context fields', async () => {
    const { tools } = await client.listTools();
    const registry = app.get(ToolRegistry).all();

    expect(tools.map((t) => t.name).sort()).toEqual(registry.map((t) => t.name).sort());
    for (const tool of tools) {
      const entry = app.get(ToolRegistry).get(tool.name)!;
      expect(tool.description).toBe(entry.description);
      expect(tool.inputSchema.type).toBe('object');
      // The status tool reads a conversation: it needs no number.
      if (entry.kind !== 'status') expect(tool.inputSchema.required).toContain('phone_number');
      for (const field of ['conversation_id', 'caller_id', 'agent_id']) {
        expect(tool.inputSchema.properties).not.toHaveProperty(field);
      }
    }
  });

  it('runs every listed tool: the agent sentence as text, the answer body as structured content', async () => {
    const { tools } = await client.listTools();
    const texting = new Set(
      app
        .get(ToolRegistry)
        .all()
        .filter(textsPatient)
        .map((t) => t.name),
    );
    const textingTools = tools.filter((t) => texting.has(t.name));
    for (const tool of textingTools) {
      const args = exampleArguments(document, tool.name, tool.inputSchema.required ?? []);
      const result = (await client.callTool({
        name: tool.name,
        arguments: args,
      })) as CallToolResult;

      expect(result.isError).toBeFalsy();
      const body = structured(result);
      expect(body).toMatchObject({ success: true, message_id: expect.any(String) });
      expect(result.content).toEqual([{ type: 'text', text: body.agent_message }]);
      expect(body.agent_message).toContain(String(args.phone_number).slice(-4));
    }
    // Every tool but the status and opt-out tools, which text nothing (test/opt-out.e2e-spec.ts).
    expect(textingTools).toHaveLength(tools.length - 2);
    expect(sends).toHaveBeenCalledTimes(textingTools.length);
  });

  it('records the call context from the host headers and the platform mcp', async () => {
    const result = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: '+12025550150', message: 'Context check.' },
    })) as CallToolResult;
    const events = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ messageId: structured(result).message_id });
    const requested = events.find((e) => e.action === 'sms.requested')!;
    expect(requested.conversationId).toBe('conv_mcp_e2e');
    expect(JSON.parse(requested.details ?? '{}')).toMatchObject({ platform: 'mcp' });
    expect(requested.actor).toBe('mcp-agent');
  });

  it('replays a retried call with the same idempotency key and texts once', async () => {
    const call = {
      name: 'send_sms',
      arguments: { phone_number: '+12025550151', message: 'Your forms are ready.' },
      _meta: { [MCP_IDEMPOTENCY_META_KEY]: 'toolcall-7f3a' },
    };
    const first = (await client.callTool(call)) as CallToolResult;
    // The host lost the answer and retries the same tool call on a new connection.
    const retryClient = await mcpClient(baseUrl, HOST_HEADERS);
    const second = (await retryClient.callTool(call)) as CallToolResult;
    await retryClient.close();

    expect(sends).toHaveBeenCalledTimes(1);
    expect(second.isError).toBeFalsy();
    expect(structured(second)).toEqual(structured(first));
    expect(second.content).toEqual(first.content);
  });

  it('refuses the same idempotency key with other arguments, and sends nothing', async () => {
    const meta = { [MCP_IDEMPOTENCY_META_KEY]: 'toolcall-9c1d' };
    await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: '+12025550154', message: 'First text.' },
      _meta: meta,
    });
    sends.mockClear();
    const reused = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: '+12025550154', message: 'Another text.' },
      _meta: meta,
    })) as CallToolResult;

    expect(reused.isError).toBe(true);
    expect(structured(reused).error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(sends).not.toHaveBeenCalled();
  });

  it('refuses a malformed idempotency key as a tool error, audited once, and sends nothing', async () => {
    const result = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: '+12025550155', message: 'Bad key.' },
      _meta: { [MCP_IDEMPOTENCY_META_KEY]: 'has spaces in it' },
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(structured(result).error?.code).toBe('VALIDATION_FAILED');
    expect(await auditOf(structured(result).request_id!)).toHaveLength(1);
    expect(sends).not.toHaveBeenCalled();
  });

  it('takes the idempotency key from the Idempotency-Key header too, prefixed so REST keys never meet it', async () => {
    const input = { phone_number: '+12025550152', message: 'Header key.' };
    const keyed = await mcpClient(baseUrl, {
      Authorization: `Bearer ${TEST_API_KEY}`,
      'Idempotency-Key': 'shared-key-1',
    });
    const first = (await keyed.callTool({ name: 'send_sms', arguments: input })) as CallToolResult;
    const again = (await keyed.callTool({ name: 'send_sms', arguments: input })) as CallToolResult;
    await keyed.close();
    // The same key over REST, from the same API key, is another key.
    const rest = await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .set('Idempotency-Key', 'shared-key-1')
      .send({ ...input, message: 'Another text.' })
      .expect(201);

    expect(structured(again).message_id).toBe(structured(first).message_id);
    expect(rest.body.message_id).not.toBe(structured(first).message_id);
    expect(sends).toHaveBeenCalledTimes(2);
  });

  let patients = 0;
  it.each(refusalCasesFor('mcp'))(
    'refuses %s as an isError result with the code and sentence of the shared table, audited once',
    async (_, refusal) => {
      const to = `+120255503${String(++patients).padStart(2, '0')}`;
      await arrangeRefusal(app, refusal, to, (patient, message) =>
        client.callTool({ name: 'send_sms', arguments: { phone_number: patient, message } }),
      );
      sends.mockClear();
      const input = refusalInput(refusal, to);

      const mcp = await viaMcp(refusal.tool, input);

      expect({ code: mcp.code, agent: mcp.agentMessage }).toEqual({
        code: refusal.code,
        agent: refusal.agentMessage,
      });
      if (refusal.overRest) {
        const rest = await restRefusal(app, refusal, input);
        expect([rest.code, rest.agentMessage]).toEqual([mcp.code, mcp.agentMessage]);
      }
      await expectAuditedOnce(app, mcp.requestId, refusal, 'mcp');
      expect(sends).not.toHaveBeenCalled();
    },
  );

  it('answers an unknown tool with a JSON-RPC error, not a tool result', async () => {
    await expect(client.callTool({ name: 'send_fax', arguments: {} })).rejects.toMatchObject({
      code: -32602,
    });
  });

  it('answers malformed JSON-RPC with a protocol error', async () => {
    const res = await request(app.getHttpServer())
      .post('/mcp')
      .set('Authorization', `Bearer ${MCP_KEY}`)
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 1, params: {} });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });
  });

  it('answers GET and DELETE with 405, as a stateless server does', async () => {
    const http = request(app.getHttpServer());
    for (const call of [http.get('/mcp'), http.delete('/mcp')]) {
      const res = await call.set('Authorization', `Bearer ${MCP_KEY}`);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
    }
  });

  describe('authentication', () => {
    it.each([
      ['no key', {}, 401],
      ['a wrong key', { Authorization: 'Bearer wrong-key-0123456789abcdefghijkl' }, 401],
      ['a key bound to Bland', { Authorization: `Bearer ${BLAND_KEY}` }, 403],
    ])('refuses %s before any MCP message is read', async (_, headers, status) => {
      await expect(mcpClient(baseUrl, headers as Record<string, string>)).rejects.toThrow();
      const res = await request(app.getHttpServer())
        .post('/mcp')
        .set(headers as Record<string, string>)
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ success: false, agent_message: expect.any(String) });
    });

    it('refuses the MCP key at the REST tools', async () => {
      await request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', MCP_KEY)
        .send({ phone_number: '+12025550153', message: 'Hi.' })
        .expect(403);
      expect(sends).not.toHaveBeenCalled();
    });
  });
});

describe('MCP behind the per-key request limit (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { API_KEYS, RATE_LIMIT_PER_KEY: '3' } });
  });
  afterAll(() => app.close());

  it('counts every POST of the key and answers 429 in the error contract past the limit', async () => {
    const post = () =>
      request(app.getHttpServer())
        .post('/mcp')
        .set('Authorization', `Bearer ${MCP_KEY}`)
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('MCP under RECIPIENT_POLICY=caller_only (e2e)', () => {
  const CALLER = '+12025550160';
  let app: INestApplication;
  let baseUrl: string;
  let sandbox: SandboxProvider;
  beforeAll(async () => {
    app = await createTestApp({ env: { API_KEYS, RECIPIENT_POLICY: 'caller_only' } });
    baseUrl = await listen(app);
    sandbox = app.get<SandboxProvider>(SMS_PROVIDER);
  });
  afterAll(() => app.close());

  const withCaller = (caller?: string) =>
    mcpClient(baseUrl, {
      Authorization: `Bearer ${MCP_KEY}`,
      ...(caller ? { 'X-Caller-Number': caller } : {}),
    });

  it('does not ask the LLM for the recipient and texts the caller from the host header', async () => {
    const client = await withCaller(CALLER);
    const { tools } = await client.listTools();
    for (const tool of tools)
      expect(tool.inputSchema.properties).not.toHaveProperty('phone_number');

    const result = (await client.callTool({
      name: 'send_sms',
      arguments: { message: 'Your ride is here.' },
    })) as CallToolResult;
    await client.close();

    expect(result.isError).toBeFalsy();
    expect(sandbox.recent()[0].to).toBe(CALLER);
  });

  it('refuses another number, even with a caller_id the LLM made up', async () => {
    const client = await withCaller(CALLER);
    const before = sandbox.recent().length;
    const result = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: '+12025550199', caller_id: '+12025550199', message: 'Hi.' },
    })) as CallToolResult;
    await client.close();

    expect(result.isError).toBe(true);
    expect(structured(result).error?.code).toBe('RECIPIENT_NOT_CALLER');
    expect(sandbox.recent().length).toBe(before);
  });

  it('refuses when the host sets no caller number', async () => {
    const client = await withCaller();
    const result = (await client.callTool({
      name: 'send_sms',
      arguments: { phone_number: CALLER, caller_id: CALLER, message: 'Hi.' },
    })) as CallToolResult;
    await client.close();

    expect(result.isError).toBe(true);
    expect(structured(result).error?.code).toBe('RECIPIENT_NOT_CALLER');
  });
});
