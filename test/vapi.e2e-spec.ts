import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Vapi } from '@vapi-ai/server-sdk';
import { vapiSignature } from '../src/agents/vapi/vapi-secret.guard.js';
import { Clock } from '../src/common/clock.js';
import { ToolRegistry } from '../src/tools/tool-registry.js';
import { textsPatient } from '../src/tools/tool-definition.js';
import { expectErrorContract } from './support/error-contract.js';
import {
  arrangeRefusal,
  expectAuditedOnce,
  REFUSAL_ENV,
  refusalCasesFor,
  refusalInput,
  restRefusal,
} from './support/refusal-cases.js';
import { BASE_TEST_ENV, createTestApp, TEST_API_KEY } from './support/test-app.js';
import {
  auditOf,
  exampleArgs,
  listenOnLoopback,
  PLATFORM_KEYS,
  postJson,
  RETELL_KEY,
  sentTo,
  VAPI_KEY,
  vapiToolCalls,
  type HttpAnswer,
  type VapiCall,
} from './support/voice-platforms.js';

const SERVER_SECRET = 'vapi-server-secret-0123456789';
const HMAC_SECRET = 'vapi-hmac-secret-0123456789ab';
const ENV = {
  API_KEYS: `${BASE_TEST_ENV.API_KEYS},${PLATFORM_KEYS}`,
  VAPI_SERVER_SECRET: SERVER_SECRET,
  ...REFUSAL_ENV,
};

type Result = Vapi.ToolCallResult & { metadata: Record<string, unknown> };

let patients = 0;
/** A number no other test texts, so each test's limits and counts are its own. */
const newPatient = () => `+1202555${String(3000 + ++patients)}`;
let calls = 0;
const newCallId = () => `5f0c2a1e-0000-4000-8000-${String(++calls).padStart(12, '0')}`;

describe('Vapi tool-calls (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  let document: OpenAPIObject;
  beforeAll(async () => {
    app = await createTestApp({ env: ENV });
    base = await listenOnLoopback(app);
    document = (await (await fetch(`${base}/docs-json`)).json()) as OpenAPIObject;
  });
  afterAll(() => app.close());

  const post = (
    body: object,
    headers: Record<string, string> = {},
    requestId?: string,
  ): Promise<HttpAnswer> =>
    postJson(`${base}/api/vapi/tool-calls`, JSON.stringify(body), {
      authorization: `Bearer ${VAPI_KEY}`,
      'x-vapi-secret': SERVER_SECRET,
      ...(requestId ? { 'x-request-id': requestId } : {}),
      ...headers,
    });
  const results = (answer: HttpAnswer) => answer.body.results as Result[];

  it('runs every registered tool, answering with its agent sentence', async () => {
    // Every tool that texts; the status and opt-out tools text nothing (their own specs).
    const tools = app.get(ToolRegistry).all().filter(textsPatient);
    expect(tools.length).toBeGreaterThanOrEqual(5);
    for (const tool of tools) {
      const to = newPatient();
      const call: VapiCall = {
        id: `call_${tool.name}`,
        name: tool.name,
        args: { ...exampleArgs(document, tool.name, 'any'), phone_number: to },
      };
      const answer = await post(
        vapiToolCalls({ callId: newCallId(), customerNumber: to, calls: [call] }),
      );

      expect(answer.status).toBe(200);
      const [result] = results(answer);
      expect(result).toMatchObject({ toolCallId: call.id, name: tool.name });
      expect(result.error).toBeUndefined();
      expect(result.result).toBe(result.metadata.agent_message);
      expect(result.result).toContain(to.slice(-4));
      expect(result.message).toEqual({ type: 'request-complete', content: result.result });
      expect(sentTo(app, to)).toBe(1);
    }
  });

  it('answers the status tool for the same call: its conversation is the Vapi call id', async () => {
    const to = newPatient();
    const callId = newCallId();
    await post(
      vapiToolCalls({
        callId,
        customerNumber: to,
        calls: [{ id: 'call_send', name: 'send_sms', args: { phone_number: to, message: 'Hi.' } }],
      }),
    );

    const answer = await post(
      vapiToolCalls({
        callId,
        customerNumber: to,
        calls: [{ id: 'call_status', name: 'check_text_status', args: {} }],
      }),
    );

    const [result] = results(answer);
    expect(result.error).toBeUndefined();
    expect(result.result).toBe(
      `The message to the number ending in ${to.slice(-4)} was sent and the carrier accepted it; it should arrive shortly.`,
    );
  });

  it('runs several calls of one message in order, arguments as a string or an object', async () => {
    const [first, second] = [newPatient(), newPatient()];
    const answer = await post(
      vapiToolCalls({
        callId: newCallId(),
        customerNumber: first,
        calls: [
          { id: 'call_a', name: 'send_sms', args: { phone_number: first, message: 'One.' } },
          {
            id: 'call_b',
            name: 'send_sms',
            args: { phone_number: second, message: 'Two.' },
            argumentsAs: 'object',
          },
          { id: 'call_c', name: 'send_fax', args: {} },
        ],
      }),
    );

    expect(results(answer).map((r) => [r.toolCallId, r.result ?? r.error])).toEqual([
      ['call_a', `I've texted the message to the number ending in ${first.slice(-4)}.`],
      ['call_b', `I've texted the message to the number ending in ${second.slice(-4)}.`],
      ['call_c', "I don't have a way to send that kind of text."],
    ]);
    expect([sentTo(app, first), sentTo(app, second)]).toEqual([1, 1]);
  });

  it('refuses a wrong or missing X-Vapi-Secret, and a key bound to another platform', async () => {
    const to = newPatient();
    const body = vapiToolCalls({
      callId: newCallId(),
      customerNumber: to,
      calls: [{ id: 'call_1', name: 'send_sms', args: { phone_number: to, message: 'Hi.' } }],
    });
    for (const headers of [
      { 'x-vapi-secret': 'wrong-secret-0123456789' },
      { 'x-vapi-secret': '' },
    ]) {
      const refused = await post(body, headers);
      expect(refused.status).toBe(401);
      expectErrorContract(refused.body, 'UNAUTHORIZED');
    }
    const otherPlatform = await post(body, { authorization: `Bearer ${RETELL_KEY}` });
    expect(otherPlatform.status).toBe(403);
    expectErrorContract(otherPlatform.body, 'FORBIDDEN');
    const noKey = await postJson(`${base}/api/vapi/tool-calls`, JSON.stringify(body), {
      'x-vapi-secret': SERVER_SECRET,
    });
    expect(noKey.status).toBe(401);
    expect(sentTo(app, to)).toBe(0);
  });

  it("replays Vapi's retry of a message (same call and tool call ids) and sends once", async () => {
    const to = newPatient();
    const body = vapiToolCalls({
      callId: newCallId(),
      customerNumber: to,
      calls: [
        { id: 'call_retried', name: 'send_sms', args: { phone_number: to, message: 'Once.' } },
      ],
    });
    const first = await post(body);
    const retry = await post(body, {}, 'vapi-retry-request-1');

    expect(sentTo(app, to)).toBe(1);
    expect(results(retry)[0].result).toBe(results(first)[0].result);
    expect(results(retry)[0].metadata.message_id).toBe(results(first)[0].metadata.message_id);
    expect((await auditOf(app, 'vapi-retry-request-1')).map((e) => e.action)).toEqual([
      'sms.duplicate_replayed',
    ]);
  });

  it.each(refusalCasesFor('vapi'))(
    'refuses %s in Vapi’s shape with the code and sentence of the shared table, audited once',
    async (_, refusal) => {
      const to = newPatient();
      await arrangeRefusal(app, refusal, to, (patient, message) =>
        post(
          vapiToolCalls({
            callId: newCallId(),
            customerNumber: patient,
            calls: [
              { id: 'call_fill', name: 'send_sms', args: { phone_number: patient, message } },
            ],
          }),
        ),
      );
      const texted = sentTo(app, to);
      const requestId = `vapi-refusal-${refusal.id}`;
      const args = refusalInput(refusal, to);
      const answer = await post(
        vapiToolCalls({
          callId: newCallId(),
          customerNumber: to,
          calls: [{ id: 'call_refused', name: refusal.tool, args }],
        }),
        {},
        requestId,
      );

      expect(answer.status).toBe(200);
      const [result] = results(answer);
      expectErrorContract(result.metadata, refusal.code);
      expect(result.error).toBe(refusal.agentMessage);
      expect(result.message).toEqual({ type: 'request-failed', content: result.error });
      expect(result.result).toBeUndefined();
      if (refusal.overRest) {
        const rest = await restRefusal(app, refusal, args);
        expect([rest.code, rest.agentMessage]).toEqual([refusal.code, result.error]);
      }
      await expectAuditedOnce(app, requestId, refusal, 'vapi');
      expect(sentTo(app, to)).toBe(texted);
    },
  );

  it('records the platform in the audit log', async () => {
    const to = newPatient();
    const callId = newCallId();
    await post(
      vapiToolCalls({
        callId,
        customerNumber: to,
        calls: [{ id: 'call_audit', name: 'send_sms', args: { phone_number: to, message: 'Hi.' } }],
      }),
      {},
      'vapi-audited-request',
    );
    const [requested] = await auditOf(app, 'vapi-audited-request');
    expect(requested.action).toBe('sms.requested');
    expect(requested.details).toMatchObject({ platform: 'vapi', tool: 'send_sms' });
  });

  it('is documented in Swagger: request, answer, auth headers and errors', () => {
    const operation = document.paths['/api/vapi/tool-calls'].post;
    expect(operation?.tags).toEqual(['Vapi']);
    expect(operation?.requestBody).toBeDefined();
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '429']),
    );
    const headers = (operation?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(headers).toEqual(expect.arrayContaining(['X-Vapi-Secret', 'x-signature']));
    expect(operation?.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
  });

  it('takes a message carrying a long call transcript, which the REST body limit would refuse', async () => {
    const to = newPatient();
    const transcript = 'User: Could you text me the details? Agent: Of course. '.repeat(1500);
    const body = {
      message: {
        ...vapiToolCalls({
          callId: newCallId(),
          customerNumber: to,
          calls: [
            { id: 'call_long', name: 'send_sms', args: { phone_number: to, message: 'Hi.' } },
          ],
        }).message,
        artifact: { transcript },
      },
    };
    expect(JSON.stringify(body).length).toBeGreaterThan(64 * 1024);

    const answer = await post(body);
    expect((answer.body.results as Result[])[0].result).toContain(to.slice(-4));
    const rest = await postJson(
      `${base}/api/sms/send`,
      JSON.stringify({ phone_number: to, message: 'Hi.', transcript }),
      { 'x-api-key': TEST_API_KEY },
    );
    expect(rest.status).toBe(413);
  });

  it('answers other server messages with nothing to do, and refuses a malformed one', async () => {
    const status = await post({ message: { type: 'status-update', status: 'in-progress' } });
    expect(status).toEqual({ status: 200, body: {} });
    const malformed = await post({ message: { type: 'tool-calls', toolCallList: [{ id: 'x' }] } });
    expect(malformed.status).toBe(400);
    expectErrorContract(malformed.body, 'VALIDATION_FAILED');
  });
});

describe('Vapi under RECIPIENT_POLICY=caller_only with an HMAC credential (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  const caller = '+12025554001';
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ...ENV,
        VAPI_SERVER_SECRET: undefined,
        VAPI_HMAC_SECRET: HMAC_SECRET,
        RECIPIENT_POLICY: 'caller_only',
      },
      // The signatures below are dated 1764000000 (seconds): the service's clock reads the same.
      override: (builder) =>
        builder.overrideProvider(Clock).useValue({ now: () => new Date(1_764_000_000_000) }),
    });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  const signedPost = (
    body: object,
    sign = (raw: string) => vapiSignature(HMAC_SECRET, '1764000000', raw),
  ) => {
    const raw = JSON.stringify(body);
    return postJson(`${base}/api/vapi/tool-calls`, raw, {
      authorization: `Bearer ${VAPI_KEY}`,
      'x-timestamp': '1764000000',
      'x-signature': sign(raw),
    });
  };
  const message = (id: string, args: Record<string, unknown>) =>
    vapiToolCalls({
      callId: newCallId(),
      customerNumber: caller,
      calls: [{ id, name: 'send_sms', args }],
    });

  it('texts the caller when the LLM gives no number, and nobody else', async () => {
    const toCaller = await signedPost(message('call_1', { message: 'Your card.' }));
    const toOther = await signedPost(
      message('call_2', { phone_number: '+12025554999', message: 'Your card.' }),
    );

    expect((toCaller.body.results as Result[])[0].result).toContain(caller.slice(-4));
    const [refused] = toOther.body.results as Result[];
    expectErrorContract(refused.metadata, 'RECIPIENT_NOT_CALLER');
    expect(sentTo(app, caller)).toBe(1);
    expect(sentTo(app, '+12025554999')).toBe(0);
  });

  it('refuses a bad or missing HMAC signature', async () => {
    const body = message('call_3', { message: 'Hi.' });
    const tampered = await signedPost(body, (raw) =>
      vapiSignature(HMAC_SECRET, '1764000000', `${raw} `),
    );
    const wrongKey = await signedPost(body, (raw) =>
      vapiSignature('another-secret-0123456789', '1764000000', raw),
    );
    for (const refused of [tampered, wrongKey]) {
      expect(refused.status).toBe(401);
      expectErrorContract(refused.body, 'UNAUTHORIZED');
    }
    const unsigned = await postJson(`${base}/api/vapi/tool-calls`, JSON.stringify(body), {
      authorization: `Bearer ${VAPI_KEY}`,
    });
    expect(unsigned.status).toBe(401);
    expect(sentTo(app, caller)).toBe(1);
  });
});
