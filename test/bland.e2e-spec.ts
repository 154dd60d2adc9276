import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  BLAND_API_KEY_PLACEHOLDER,
  buildBlandTools,
  blandName,
  type BlandCustomTool,
} from '../src/agents/bland/bland.export.js';
import { toolParameters } from '../src/agents/shared/index.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { ElevenLabsService } from '../src/agents/elevenlabs/elevenlabs.service.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { ToolRegistry } from '../src/tools/tool-registry.js';
import { textsPatient } from '../src/tools/tool-definition.js';
import { blandResponseVariables, renderBlandBody } from './support/bland-template.js';
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

const PUBLIC_BASE_URL = 'https://gateway.example.com';
const BLAND_KEY = 'bland-agent-key-0123456789abcdefgh';
const MCP_KEY = 'mcp-agent-key-0123456789abcdefghij';
const API_KEYS = [
  `agent:${TEST_API_KEY}:sms.send+sms.read`,
  `bland-agent:${BLAND_KEY}:sms.send:bland`,
  `mcp-agent:${MCP_KEY}:sms.send:mcp`,
].join(',');
const CALLER = '+12025550170';

interface BlandRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * What Bland sends when the LLM picks the tool: the exported headers (the key filled in where
 * the export holds its placeholder) and the body template rendered with the LLM's input and the
 * call's variables.
 */
function blandRequest(
  tool: BlandCustomTool,
  input: Record<string, unknown>,
  call: { phone_number: string; call_id: string },
  key = BLAND_KEY,
): BlandRequest {
  expect(tool.method).toBe('POST');
  expect(tool.url.startsWith(PUBLIC_BASE_URL)).toBe(true);
  return {
    path: tool.url.slice(PUBLIC_BASE_URL.length),
    headers: Object.fromEntries(
      Object.entries(tool.headers).map(([name, value]) => [
        name,
        value.replace(BLAND_API_KEY_PLACEHOLDER, key),
      ]),
    ),
    body: renderBlandBody(tool.body, input, call),
  };
}

function exportedTools(app: INestApplication): BlandCustomTool[] {
  return buildBlandTools(app.get(ElevenLabsService).toolExport());
}

describe('Bland custom tools against the REST endpoints (e2e)', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  let tools: BlandCustomTool[];
  let sends: jest.SpiedFunction<SandboxProvider['send']>;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        API_KEYS,
        PUBLIC_BASE_URL,
        ...REFUSAL_ENV,
        LINK_ALLOWED_HOSTS: 'copay.example.com',
      },
    });
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    tools = exportedTools(app);
    sends = jest.spyOn(app.get<SandboxProvider>(SMS_PROVIDER), 'send');
  });
  afterAll(() => app.close());
  beforeEach(() => sends.mockClear());

  const send = (call: BlandRequest) =>
    request(app.getHttpServer()).post(call.path).set(call.headers).send(call.body);
  // Bland sees a tool's name without the words it reserves (blandName); the URL is the tool's own.
  const toolNamed = (name: string) =>
    tools.find((t) => t.name === blandName(name)) as BlandCustomTool;
  /** The registry's name of an exported tool: the export keeps the registry's order. */
  const registryName = (tool: BlandCustomTool) =>
    app.get(ToolRegistry).all()[tools.indexOf(tool)].name;
  let calls = 0;
  const nextCall = () => ({ phone_number: CALLER, call_id: `bland-call-${++calls}` });

  it('exports one custom tool per registered tool, its input schema from the DTO', () => {
    expect(tools.map((t) => t.name)).toEqual(
      app
        .get(ToolRegistry)
        .all()
        .map((t) => blandName(t.name)),
    );
    for (const tool of tools) {
      const name = registryName(tool);
      expect(tool.input_schema).toEqual(toolParameters(document, name, 'any'));
      expect(tool.body).toMatchObject({
        conversation_id: '{{call_id}}',
        caller_id: '{{phone_number}}',
        ...(name === 'check_text_status' ? {} : { phone_number: '{{input.phone_number}}' }),
      });
      expect(tool.response).toEqual({ agent_message: '$.agent_message' });
    }
  });

  it('runs every exported tool with the body Bland renders, and hands the agent its sentence', async () => {
    const texting = new Set(
      app
        .get(ToolRegistry)
        .all()
        .filter(textsPatient)
        .map((t) => t.name),
    );
    const textingTools = tools.filter((t) => texting.has(registryName(t)));
    for (const tool of textingTools) {
      const input = exampleArguments(
        document,
        registryName(tool),
        tool.input_schema.required ?? [],
      );
      const res = await send(blandRequest(tool, input, nextCall()));

      expect(res.status).toBe(201);
      const variables = blandResponseVariables(tool.response, res.body);
      expect(variables.agent_message).toBe(res.body.agent_message);
      expect(res.body.agent_message).toContain(String(input.phone_number).slice(-4));
    }
    // Every tool but the status and opt-out tools, which text nothing (test/opt-out.e2e-spec.ts).
    expect(textingTools).toHaveLength(tools.length - 2);
    expect(sends).toHaveBeenCalledTimes(textingTools.length);
  });

  it('records the call id as the conversation and the platform bland', async () => {
    const call = nextCall();
    const res = await send(
      blandRequest(
        toolNamed('send_sms'),
        { phone_number: '+12025550171', message: 'Bland check.' },
        call,
      ),
    ).expect(201);
    const events = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ messageId: res.body.message_id });
    const requested = events.find((e) => e.action === 'sms.requested') as AuditEventEntity;
    expect(requested.conversationId).toBe(call.call_id);
    expect(requested.actor).toBe('bland-agent');
    expect(JSON.parse(requested.details ?? '{}')).toMatchObject({ platform: 'bland' });
  });

  it('answers a retried tool call from the first send and texts once', async () => {
    const call = blandRequest(
      toolNamed('send_sms'),
      { phone_number: '+12025550172', message: 'Your forms are ready.' },
      nextCall(),
    );
    const first = await send(call).expect(201);
    const retry = await send(call).expect(201);

    expect(sends).toHaveBeenCalledTimes(1);
    expect(retry.body).toMatchObject({ message_id: first.body.message_id, duplicate: true });
    expect(retry.body.agent_message).toEqual(expect.stringContaining('0172'));
  });

  describe('authentication', () => {
    const input = { phone_number: '+12025550173', message: 'Hi.' };
    it.each([
      ['no key', ''],
      ['a wrong key', 'wrong-key-0123456789abcdefghijkl'],
    ])('refuses %s with 401 in the error contract', async (_, key) => {
      const call = blandRequest(toolNamed('send_sms'), input, nextCall(), key);
      if (!key) delete call.headers.Authorization;
      const res = await send(call).expect(401);
      expect(res.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    });

    it('refuses a key bound to another platform with 403', async () => {
      const res = await send(blandRequest(toolNamed('send_sms'), input, nextCall(), MCP_KEY));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(sends).not.toHaveBeenCalled();
    });
  });

  let patients = 0;
  it.each(refusalCasesFor('bland'))(
    'refuses %s with the code and sentence of the shared table for {{agent_message}}, audited once',
    async (_, refusal) => {
      const to = `+120255504${String(++patients).padStart(2, '0')}`;
      await arrangeRefusal(app, refusal, to, (patient, message) =>
        send(
          blandRequest(toolNamed('send_sms'), { phone_number: patient, message }, nextCall()),
        ).expect(201),
      );
      sends.mockClear();
      const input = refusalInput(refusal, to);

      const bland = await send(blandRequest(toolNamed(refusal.tool), input, nextCall()));
      const rest = await restRefusal(app, refusal, input);

      expect({ status: bland.status, code: bland.body.error.code }).toEqual({
        status: refusal.status,
        code: refusal.code,
      });
      expect(blandResponseVariables(toolNamed(refusal.tool).response, bland.body)).toEqual({
        agent_message: refusal.agentMessage,
      });
      expect(rest.agentMessage).toBe(refusal.agentMessage);
      await expectAuditedOnce(app, bland.body.request_id, refusal, 'bland');
      expect(sends).not.toHaveBeenCalled();
    },
  );
});

describe('Bland under RECIPIENT_POLICY=caller_only (e2e)', () => {
  let app: INestApplication;
  let tools: BlandCustomTool[];
  let sandbox: SandboxProvider;
  beforeAll(async () => {
    app = await createTestApp({
      env: { API_KEYS, PUBLIC_BASE_URL, RECIPIENT_POLICY: 'caller_only' },
    });
    tools = exportedTools(app);
    sandbox = app.get<SandboxProvider>(SMS_PROVIDER);
  });
  afterAll(() => app.close());

  const sendSms = () => tools.find((t) => t.name === 'send_sms') as BlandCustomTool;

  it('binds the recipient to the caller: the LLM is not asked for it, and cannot choose it', async () => {
    for (const tool of tools) {
      expect(tool.input_schema.properties).not.toHaveProperty('phone_number');
      expect(tool.body.phone_number).toBe('{{phone_number}}');
    }
    // An LLM that adds a number anyway: the template never reads it.
    const call = blandRequest(
      sendSms(),
      { phone_number: '+12025550199', message: 'Your ride is here.' },
      { phone_number: CALLER, call_id: 'bland-call-caller-only' },
    );
    const res = await request(app.getHttpServer())
      .post(call.path)
      .set(call.headers)
      .send(call.body)
      .expect(201);

    expect(res.body.agent_message).toContain(CALLER.slice(-4));
    expect(sandbox.recent()[0].to).toBe(CALLER);
  });

  it('refuses a body that names another recipient than the caller', async () => {
    const call = blandRequest(
      sendSms(),
      { message: 'Hi.' },
      { phone_number: CALLER, call_id: 'bland-call-edited' },
    );
    const before = sandbox.recent().length;
    const res = await request(app.getHttpServer())
      .post(call.path)
      .set(call.headers)
      .send({ ...call.body, phone_number: '+12025550199' })
      .expect(403);

    expect(res.body.error.code).toBe('RECIPIENT_NOT_CALLER');
    expect(sandbox.recent().length).toBe(before);
  });
});
