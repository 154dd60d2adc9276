import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import request from 'supertest';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** Every texting tool the service ships, as Swagger UI lists them. */
const TOOL_PATHS = DEFAULT_TOOLS.map((tool) => `/api/sms/${tool.path}`);

/** The limits a fresh clone runs with: BASE_TEST_ENV raises them, these put the defaults back. */
const DEFAULT_LIMITS = {
  RATE_LIMIT_PER_KEY: undefined,
  RATE_LIMIT_PER_RECIPIENT_10MIN: undefined,
  RATE_LIMIT_PER_RECIPIENT_DAY: undefined,
  RATE_LIMIT_PER_CONVERSATION: undefined,
  RATE_LIMIT_CONVERSATION_RECIPIENTS: undefined,
  DAILY_SEND_CAP: undefined,
};

function schemaOf(document: OpenAPIObject, path: string): SchemaObject {
  const body = document.paths[path].post?.requestBody as {
    content: Record<string, { schema: { $ref: string } }>;
  };
  const name = body.content['application/json'].schema.$ref.split('/').pop() as string;
  return document.components?.schemas?.[name] as SchemaObject;
}

/** What Swagger UI's "Try it out" fills in: every property's example. */
function exampleBody(document: OpenAPIObject, path: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schemaOf(document, path).properties ?? {})
      .map(([name, property]) => [name, (property as SchemaObject).example] as const)
      .filter(([, example]) => example !== undefined),
  );
}

describe('a newcomer trying every tool in Swagger UI, with the default limits (e2e)', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  const http = () => request(app.getHttpServer());
  const outbox = async () =>
    (await http().get('/api/sandbox/outbox').set('X-API-Key', TEST_API_KEY).expect(200))
      .body as Array<Record<string, unknown>>;

  beforeAll(async () => {
    app = await createTestApp({ env: DEFAULT_LIMITS });
    document = (await http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => app.close());

  it('finds the tools first in Swagger UI: tools, messages, preview, sandbox, then operations', () => {
    const tags = (document.tags ?? []).map((t) => t.name);
    expect(tags.slice(0, 4)).toEqual(['SMS tools', 'Messages', 'Preview', 'Sandbox']);
    // Every tag an operation uses is listed, so none falls to the end unordered.
    const used = new Set(
      Object.values(document.paths).flatMap((item) =>
        Object.values(item as Record<string, { tags?: string[] }>).flatMap((op) => op.tags ?? []),
      ),
    );
    expect([...used].filter((tag) => !tags.includes(tag))).toEqual([]);
  });

  it('gives each tool its own example number and conversation; caller_id is that number', () => {
    const bodies = TOOL_PATHS.map((path) => exampleBody(document, path));
    const numbers = bodies.map((b) => b.phone_number);
    expect(new Set(numbers).size).toBe(TOOL_PATHS.length);
    expect(new Set(bodies.map((b) => b.conversation_id)).size).toBe(TOOL_PATHS.length);
    for (const body of bodies) {
      expect(body.phone_number).toMatch(/^\+1555555\d{4}$/);
      expect(body.caller_id).toBe(body.phone_number);
    }
    // The examples changed, not what is required.
    for (const path of TOOL_PATHS) {
      const required = schemaOf(document, path).required ?? [];
      expect(required).toContain('phone_number');
      expect(required).not.toContain('caller_id');
      expect(required).not.toContain('conversation_id');
    }
  });

  it("answers 201 to every tool's example, tried twice each", async () => {
    const statuses: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const path of TOOL_PATHS) {
        const res = await http()
          .post(path)
          .set('X-API-Key', TEST_API_KEY)
          .send(exampleBody(document, path));
        statuses.push(`${path} ${res.status} ${res.body.error?.code ?? ''}`.trim());
      }
    }
    expect(statuses).toEqual([...TOOL_PATHS, ...TOOL_PATHS].map((p) => `${p} 201`));
  });

  it('still shows a limit tried on purpose, and the outbox says what was refused and why', async () => {
    const number = '+15555550199';
    const send = (i: number) =>
      http()
        .post('/api/sms/send')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: number, message: `Reminder number ${i}` });
    for (let i = 1; i <= 5; i++) await send(i).expect(201);
    const refused = await send(6).expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');

    const entries = await outbox();
    const newest = entries[0];
    expect(newest).toMatchObject({
      status: 'refused',
      tool: 'send_sms',
      to: '***-***-0199',
      error_code: 'RATE_LIMITED',
      http_status: 429,
      request_id: refused.headers['x-request-id'],
    });
    expect(newest).not.toHaveProperty('body');
    expect(JSON.stringify(entries)).not.toContain('Reminder number 6');
    expect(entries.slice(1, 6).map((e) => [e.status, e.body])).toEqual(
      [5, 4, 3, 2, 1].map((i) => ['sent', `Reminder number ${i}`]),
    );
  });

  it('lists a request refused by policy with its code, and never a full number', async () => {
    const res = await http().post('/api/sms/send-copay-card').set('X-API-Key', TEST_API_KEY).send({
      phone_number: '+15555550198',
      patient_name: 'Jane Doe',
      copay_url: 'https://elsewhere.example.org/card',
    });
    expect(res.status).toBe(422);

    const [newest] = await outbox();
    expect(newest).toMatchObject({
      status: 'refused',
      tool: 'send_copay_card',
      to: '***-***-0198',
      error_code: res.body.error.code,
    });
    expect(JSON.stringify(newest)).not.toContain('5555550198');
  });

  it("simulates the patient's reply (README's first hour): C confirms, and the status tool says so", async () => {
    const body = exampleBody(document, '/api/sms/send-appointment-confirmation');
    const phone = '+15555550177';
    await http()
      .post('/api/sms/send-appointment-confirmation')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        ...body,
        phone_number: phone,
        caller_id: undefined,
        conversation_id: 'conv_first_reply',
      })
      .expect(201);
    const reply = await http()
      .post('/api/sandbox/replies')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, text: 'C' })
      .expect(200);
    expect(reply.body).toEqual({ success: true, intent: 'appointment.confirmed', reply: null });
    const status = await http()
      .post('/api/sms/check-text-status')
      .set('X-API-Key', TEST_API_KEY)
      .send({ conversation_id: 'conv_first_reply' })
      .expect(200);
    expect(status.body.agent_message).toContain('the patient replied to confirm the appointment');

    const stop = await http()
      .post('/api/sandbox/replies')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, text: 'no me manden mensajes' })
      .expect(200);
    expect(stop.body).toMatchObject({
      intent: 'opt_out',
      reply: expect.stringContaining('unsubscribed'),
    });
  });
});
