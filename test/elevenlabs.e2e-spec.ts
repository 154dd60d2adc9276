import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import request from 'supertest';
import {
  buildElevenLabsTools,
  type ElevenLabsToolBody,
} from '../src/agents/elevenlabs/tool-definitions.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { servedTools, ToolRegistry } from '../src/tools/tool-registry.js';
import { textsPatient } from '../src/tools/tool-definition.js';
import { sendLabReadyTool } from './support/lab-ready-tool.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

const PUBLIC_BASE_URL = 'https://gateway.example.com';
const SECRET_ID = 'secret_gateway_key';
/** The simulated workspace: its one secret holds the key the agent's calls carry. */
const WORKSPACE_SECRETS: Record<string, string> = { [SECRET_ID]: TEST_API_KEY };
const CALLER = '+12025550143';

const ENV = {
  PUBLIC_BASE_URL,
  ELEVENLABS_SECRET_ID: SECRET_ID,
  // The simulated calls below are about the export, not the limits.
  RATE_LIMIT_PER_RECIPIENT_10MIN: '100',
  RATE_LIMIT_PER_RECIPIENT_DAY: '100',
};

type Property = {
  type: string;
  description?: string;
  dynamic_variable?: string;
  constant_value?: unknown;
  is_omitted?: boolean;
  enum?: string[];
  properties?: Record<string, Property>;
  items?: Property;
};

/** The example the OpenAPI document gives a field of that name, wherever it declares one. */
function exampleFor(document: OpenAPIObject, field: string): unknown {
  for (const schema of Object.values(document.components?.schemas ?? {}) as SchemaObject[]) {
    const property = schema.properties?.[field] as SchemaObject | undefined;
    if (property?.example !== undefined) return property.example;
  }
  throw new Error(`the OpenAPI document has no example for ${field}`);
}

/**
 * What ElevenLabs would send for a tool, from the exported definition alone: the LLM fills each
 * described field with a valid value, the platform fills the dynamic variables and the headers.
 */
function agentCall(
  body: ElevenLabsToolBody,
  document: OpenAPIObject,
  variables: Record<string, string>,
): { path: string; headers: Record<string, string>; json: Record<string, unknown> } {
  const { api_schema: api } = body.tool_config;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(api.request_headers ?? {})) {
    if (typeof value === 'string') headers[name] = value;
    else if ('secret_id' in value) headers[name] = WORKSPACE_SECRETS[value.secret_id];
    else throw new Error(`unexpected header source for ${name}`);
  }
  const fill = (name: string, property: Property): unknown => {
    if (property.dynamic_variable !== undefined) {
      const value = variables[property.dynamic_variable];
      if (value === undefined) throw new Error(`no test value for ${property.dynamic_variable}`);
      return value;
    }
    if (property.constant_value !== undefined) return property.constant_value;
    if (property.type === 'object') return fillObject(property);
    if (property.type === 'array') return [fill(name, property.items as Property)];
    return property.enum?.[0] ?? exampleFor(document, name);
  };
  const fillObject = (schema: Property): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([, property]) => !property.is_omitted)
        .map(([name, property]) => [name, fill(name, property)]),
    );
  expect(api.method).toBe('POST');
  expect(api.url.startsWith(PUBLIC_BASE_URL)).toBe(true);
  return {
    path: api.url.slice(PUBLIC_BASE_URL.length),
    headers,
    json: fillObject(api.request_body_schema as Property),
  };
}

describe('ElevenLabs tool export (e2e)', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => {
    app = await createTestApp({ env: ENV });
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await app.close();
  });
  const getTools = () => request(app.getHttpServer()).get('/api/elevenlabs/tools');

  it('refuses a request without an API key (401)', async () => {
    const res = await getTools().expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a key without the admin scope (403)', async () => {
    const res = await getTools().set('X-API-Key', TEST_API_KEY).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('gives an admin every served tool, the status and opt-out tools last, built from the document /docs-json serves', async () => {
    const res = await getTools().set('X-API-Key', TEST_ADMIN_KEY).expect(200);

    const tools = app.get(ToolRegistry).all();
    expect(res.body).toEqual(
      buildElevenLabsTools(document, tools, {
        publicBaseUrl: PUBLIC_BASE_URL,
        requestDeadlineMs: 10_000,
        recipientPolicy: 'any',
        secretId: SECRET_ID,
      }),
    );
    expect(res.body.map((b: ElevenLabsToolBody) => b.tool_config.api_schema.url)).toEqual(
      servedTools().map((tool) => `${PUBLIC_BASE_URL}/api/sms/${tool.path}`),
    );
    expect(res.body.slice(-2).map((b: ElevenLabsToolBody) => b.tool_config.name)).toEqual([
      'check_text_status',
      'record_text_opt_out',
    ]);
    expect(res.headers['x-elevenlabs-placeholders']).toBeUndefined();
  });

  it('is documented in Swagger with its errors', () => {
    const operation = document.paths['/api/elevenlabs/tools'].get;
    expect(operation?.operationId).toBe('get_elevenlabs_tools');
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403']),
    );
    expect(operation?.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
  });

  it('simulated agent calls, one per tool, built only from the export, all succeed', async () => {
    const { body: tools } = await getTools().set('X-API-Key', TEST_ADMIN_KEY).expect(200);
    expect(tools).toHaveLength(servedTools().length);
    const texting = new Set(
      app
        .get(ToolRegistry)
        .all()
        .filter(textsPatient)
        .map((t) => t.name),
    );
    const named = (name: string) =>
      (tools as ElevenLabsToolBody[]).find((t) => t.tool_config.name === name)!;

    for (const tool of (tools as ElevenLabsToolBody[]).filter((t) =>
      texting.has(t.tool_config.name),
    )) {
      const name = tool.tool_config.name;
      const call = agentCall(tool, document, {
        system__conversation_id: `conv_sim_${name}`,
        system__caller_id: CALLER,
        system__agent_id: 'agent_sim_1',
      });
      const res = await request(app.getHttpServer())
        .post(call.path)
        .set(call.headers)
        .send(call.json);

      expect({ name, status: res.status, body: res.body }).toMatchObject({
        name,
        status: 201,
        body: { success: true, to: expect.stringMatching(/^\*\*\*-\*\*\*-\d{4}$/) },
      });
      // The agent hears the last four digits only.
      const digits = String(call.json.phone_number).replace(/\D/g, '');
      expect(res.body.agent_message).toContain(digits.slice(-4));
      expect(res.body.agent_message).not.toContain(digits.slice(-7));

      const status = await request(app.getHttpServer())
        .get(`/api/sms/messages/${res.body.message_id}`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(status.body).toMatchObject({ tool: name, conversation_id: `conv_sim_${name}` });
    }

    // The status tool, bound to the same conversation as the copay card's call.
    const statusCall = agentCall(named('check_text_status'), document, {
      system__conversation_id: 'conv_sim_send_copay_card',
      system__caller_id: CALLER,
      system__agent_id: 'agent_sim_1',
    });
    expect(statusCall.json).toMatchObject({ conversation_id: 'conv_sim_send_copay_card' });
    const answer = await request(app.getHttpServer())
      .post(statusCall.path)
      .set(statusCall.headers)
      .send(statusCall.json)
      .expect(200);
    expect(answer.body.agent_message).toMatch(/^The copay card to the number ending in \d{4} /);

    // The opt-out tool, as the agent calls it when the patient asks for no more texts.
    const optOutCall = agentCall(named('record_text_opt_out'), document, {
      system__conversation_id: 'conv_sim_opt_out',
      system__caller_id: CALLER,
      system__agent_id: 'agent_sim_1',
    });
    const optedOut = await request(app.getHttpServer())
      .post(optOutCall.path)
      .set(optOutCall.headers)
      .send(optOutCall.json)
      .expect(200);
    const optedOutDigits = String(optOutCall.json.phone_number).replace(/\D/g, '').slice(-4);
    expect(optedOut.body).toMatchObject({ success: true, state: 'opted_out' });
    expect(optedOut.body.agent_message).toMatch(
      new RegExp(`^Done: the number ending in ${optedOutDigits} won't get any more texts`),
    );
  });
});

describe('ElevenLabs tool export under RECIPIENT_POLICY=caller_only (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...ENV, RECIPIENT_POLICY: 'caller_only' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('texts the caller: phone_number comes from system__caller_id, and each call succeeds', async () => {
    const http = () => request(app.getHttpServer());
    const { body: document } = await http().get('/docs-json').expect(200);
    const { body: tools } = await http()
      .get('/api/elevenlabs/tools')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);

    const texting = new Set(
      app
        .get(ToolRegistry)
        .all()
        .filter(textsPatient)
        .map((t) => t.name),
    );
    const sends = (tools as ElevenLabsToolBody[]).filter((t) => texting.has(t.tool_config.name));
    expect(sends).toHaveLength(DEFAULT_TOOLS.length);
    for (const tool of sends) {
      const schema = tool.tool_config.api_schema.request_body_schema as Property;
      expect(schema.properties?.phone_number).toEqual({
        type: 'string',
        dynamic_variable: 'system__caller_id',
      });
      const call = agentCall(tool, document, {
        system__conversation_id: `conv_caller_${tool.tool_config.name}`,
        system__caller_id: CALLER,
        system__agent_id: 'agent_sim_1',
      });
      expect(call.json.phone_number).toBe(CALLER);

      const res = await http().post(call.path).set(call.headers).send(call.json).expect(201);
      expect(res.body.to).toBe('***-***-0143');
    }
  });
});

describe('ElevenLabs tool export without PUBLIC_BASE_URL or Swagger UI (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({
      // Without Swagger UI too: the export builds the document itself.
      env: { PUBLIC_BASE_URL: undefined, ELEVENLABS_SECRET_ID: undefined, DOCS_ENABLED: 'false' },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('uses placeholders and names them in X-ElevenLabs-Placeholders', async () => {
    await request(app.getHttpServer()).get('/docs-json').expect(404);
    const res = await request(app.getHttpServer())
      .get('/api/elevenlabs/tools')
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .expect(200);

    expect(res.headers['x-elevenlabs-placeholders']).toBe('PUBLIC_BASE_URL, ELEVENLABS_SECRET_ID');
    expect(res.body[0].tool_config.api_schema).toMatchObject({
      url: 'https://YOUR-PUBLIC-HOST/api/sms/send',
      request_headers: { 'X-API-Key': { secret_id: 'YOUR_SECRET_ID' } },
    });
  });
});

describe('ElevenLabs tool export of an app with a sixth tool (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: ENV, tools: [...DEFAULT_TOOLS, sendLabReadyTool] });
  });
  afterAll(async () => {
    await app.close();
  });

  it('exports the tools this app serves, and an agent call to the new one succeeds', async () => {
    const http = () => request(app.getHttpServer());
    const { body: document } = await http().get('/docs-json').expect(200);
    const { body: tools } = await http()
      .get('/api/elevenlabs/tools')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);

    expect(tools).toHaveLength(servedTools([...DEFAULT_TOOLS, sendLabReadyTool]).length);
    const lab = (tools as ElevenLabsToolBody[]).find(
      (t) => t.tool_config.name === 'send_lab_ready',
    )!;
    expect(lab.tool_config).toMatchObject({
      name: 'send_lab_ready',
      description: 'Use when the patient asks whether their lab result is in.',
      api_schema: {
        url: `${PUBLIC_BASE_URL}/api/sms/send-lab-ready`,
        request_body_schema: {
          properties: {
            lab: { type: 'string', description: 'Which lab.', enum: ['blood', 'imaging'] },
          },
          required: ['phone_number', 'lab'],
        },
      },
    });
    const call = agentCall(lab, document, {
      system__conversation_id: 'conv_lab',
      system__caller_id: CALLER,
      system__agent_id: 'agent_sim_1',
    });
    await http().post(call.path).set(call.headers).send(call.json).expect(201);
  });
});
