import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { sign } from 'retell-sdk';
import { symmetric } from 'retell-sdk/lib/webhook_auth';
import type { PhoneCallResponse } from 'retell-sdk/resources/call';
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
import { BASE_TEST_ENV, createTestApp } from './support/test-app.js';
import {
  auditOf,
  exampleArgs,
  listenOnLoopback,
  PLATFORM_KEYS,
  postJson,
  RETELL_KEY,
  sentTo,
  VAPI_KEY,
  type HttpAnswer,
} from './support/voice-platforms.js';

const RETELL_API_KEY = 'key_retell_webhook_0123456789abcdef';
const ENV = {
  API_KEYS: `${BASE_TEST_ENV.API_KEYS},${PLATFORM_KEYS}`,
  RETELL_API_KEY,
  ...REFUSAL_ENV,
};
const AGENT_NUMBER = '+12025550100';

let patients = 0;
const newPatient = () => `+1202555${String(5000 + ++patients)}`;
let calls = 0;
const newCallId = () => `Jabr9TXYYJHfvl6Syypi88rd${String(++calls).padStart(8, '0')}`;

/** The call object of a phone call, typed by retell-sdk; the patient is on the far end. */
function phoneCall(patient: string, direction: 'inbound' | 'outbound', callId = newCallId()) {
  const call: Pick<
    PhoneCallResponse,
    'call_id' | 'agent_id' | 'call_type' | 'direction' | 'from_number' | 'to_number' | 'call_status'
  > = {
    call_id: callId,
    agent_id: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD',
    call_type: 'phone_call',
    call_status: 'ongoing',
    direction,
    from_number: direction === 'inbound' ? patient : AGENT_NUMBER,
    to_number: direction === 'inbound' ? AGENT_NUMBER : patient,
  };
  return call;
}

/** A custom-function request as Retell posts it: { name, call, args }. */
const functionCall = (name: string, call: object, args: Record<string, unknown>) => ({
  name,
  call: { ...call, transcript: 'Agent: How can I help?\nUser: Please text me the card.' },
  args,
});

describe('Retell custom functions (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  let document: OpenAPIObject;
  beforeAll(async () => {
    app = await createTestApp({ env: ENV });
    base = await listenOnLoopback(app);
    document = (await (await fetch(`${base}/docs-json`)).json()) as OpenAPIObject;
  });
  afterAll(() => app.close());

  /** Signs the exact bytes sent, as Retell does, with retell-sdk's own `sign`. */
  const post = async (
    body: object,
    options: { headers?: Record<string, string>; requestId?: string; raw?: string } = {},
  ): Promise<HttpAnswer> => {
    const raw = options.raw ?? JSON.stringify(body);
    return postJson(`${base}/api/retell/custom-function`, raw, {
      'x-api-key': RETELL_KEY,
      'x-retell-signature': await sign(raw, RETELL_API_KEY),
      ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
      ...options.headers,
    });
  };

  it('runs every registered tool, answering with its agent sentence', async () => {
    // Every tool that texts; the status and opt-out tools text nothing (their own specs).
    const tools = app.get(ToolRegistry).all().filter(textsPatient);
    expect(tools.length).toBeGreaterThanOrEqual(5);
    for (const tool of tools) {
      const to = newPatient();
      const args = { ...exampleArgs(document, tool.name, 'any'), phone_number: to };
      const answer = await post(functionCall(tool.name, phoneCall(to, 'inbound'), args));

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ success: true, result: answer.body.agent_message });
      expect(answer.body.result).toContain(to.slice(-4));
      expect(sentTo(app, to)).toBe(1);
    }
  });

  it('refuses a tampered, wrongly keyed, stale or missing signature, and a missing API key', async () => {
    const to = newPatient();
    const body = functionCall('send_sms', phoneCall(to, 'inbound'), {
      phone_number: to,
      message: 'Hi.',
    });
    const raw = JSON.stringify(body);
    const signatures = [
      await sign(`${raw} `, RETELL_API_KEY),
      await sign(raw, 'key_another_workspace_0123456789'),
      // Signed ten minutes ago: outside the SDK's five-minute window.
      await symmetric.sign(raw, RETELL_API_KEY, Date.now() - 10 * 60_000),
      'v=1,d=00',
    ];
    for (const signature of signatures) {
      const refused = await post(body, { headers: { 'x-retell-signature': signature } });
      expect(refused.status).toBe(401);
      expectErrorContract(refused.body, 'UNAUTHORIZED');
    }
    const unsigned = await postJson(`${base}/api/retell/custom-function`, raw, {
      'x-api-key': RETELL_KEY,
    });
    expect(unsigned.status).toBe(401);
    const noKey = await postJson(`${base}/api/retell/custom-function`, raw, {
      'x-retell-signature': await sign(raw, RETELL_API_KEY),
    });
    expect(noKey.status).toBe(401);
    const otherPlatform = await post(body, { headers: { 'x-api-key': VAPI_KEY } });
    expect(otherPlatform.status).toBe(403);
    expect(sentTo(app, to)).toBe(0);
  });

  it("replays Retell's retry (same call, function and arguments) and sends once", async () => {
    const to = newPatient();
    const call = phoneCall(to, 'inbound');
    const first = await post(
      functionCall('send_sms', call, { phone_number: to, message: 'Once.' }),
    );
    // A retry may serialize the arguments in another order: still the same call.
    const retry = await post(
      functionCall('send_sms', call, { message: 'Once.', phone_number: to }),
      {
        requestId: 'retell-retry-request-1',
      },
    );

    expect(sentTo(app, to)).toBe(1);
    expect(retry.body.result).toBe(first.body.result);
    expect(retry.body.message_id).toBe(first.body.message_id);
    expect((await auditOf(app, 'retell-retry-request-1')).map((e) => e.action)).toEqual([
      'sms.duplicate_replayed',
    ]);
  });

  it('refuses a request sent with "Payload: args only"', async () => {
    const to = newPatient();
    const refused = await post({ phone_number: to, message: 'Hi.' });
    expect(refused.status).toBe(400);
    expectErrorContract(refused.body, 'VALIDATION_FAILED');
    expect(sentTo(app, to)).toBe(0);
  });

  it.each(refusalCasesFor('retell'))(
    'refuses %s in Retell’s shape with the code and sentence of the shared table, audited once',
    async (_, refusal) => {
      const to = newPatient();
      await arrangeRefusal(app, refusal, to, (patient, message) =>
        post(
          functionCall('send_sms', phoneCall(patient, 'inbound'), {
            phone_number: patient,
            message,
          }),
        ),
      );
      const texted = sentTo(app, to);
      const requestId = `retell-refusal-${refusal.id}`;
      const args = refusalInput(refusal, to);
      const answer = await post(functionCall(refusal.tool, phoneCall(to, 'inbound'), args), {
        requestId,
      });

      // 200, so Retell does not retry a refusal; the LLM reads the sentence.
      expect(answer.status).toBe(200);
      expectErrorContract(answer.body, refusal.code);
      expect(answer.body.result).toBe(refusal.agentMessage);
      expect(answer.body.agent_message).toBe(refusal.agentMessage);
      if (refusal.overRest) {
        const rest = await restRefusal(app, refusal, args);
        expect([rest.code, rest.agentMessage]).toEqual([refusal.code, answer.body.result]);
      }
      await expectAuditedOnce(app, requestId, refusal, 'retell');
      expect(sentTo(app, to)).toBe(texted);
    },
  );

  it('is documented in Swagger: request, answer, signature header and errors', () => {
    const operation = document.paths['/api/retell/custom-function'].post;
    expect(operation?.tags).toEqual(['Retell']);
    expect(operation?.requestBody).toBeDefined();
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '429']),
    );
    const headers = (operation?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(headers).toContain('X-Retell-Signature');
    expect(operation?.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
  });

  it('records the platform in the audit log', async () => {
    const to = newPatient();
    await post(
      functionCall('send_sms', phoneCall(to, 'outbound'), { phone_number: to, message: 'Hi.' }),
      {
        requestId: 'retell-audited-request',
      },
    );
    const [requested] = await auditOf(app, 'retell-audited-request');
    expect(requested.action).toBe('sms.requested');
    expect(requested.details).toMatchObject({ platform: 'retell', tool: 'send_sms' });
  });
});

describe('Retell under RECIPIENT_POLICY=caller_only (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...ENV, RECIPIENT_POLICY: 'caller_only' } });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  const post = async (body: object): Promise<HttpAnswer> => {
    const raw = JSON.stringify(body);
    return postJson(`${base}/api/retell/custom-function`, raw, {
      'x-api-key': RETELL_KEY,
      'x-retell-signature': await sign(raw, RETELL_API_KEY),
    });
  };

  it.each(['inbound', 'outbound'] as const)(
    'on an %s call texts the patient on the line, never a number the LLM chose',
    async (direction) => {
      const patient = newPatient();
      const other = newPatient();
      const call = phoneCall(patient, direction);
      const toPatient = await post(functionCall('send_sms', call, { message: 'Your card.' }));
      const toOther = await post(
        functionCall('send_sms', call, { phone_number: other, message: 'Your card.' }),
      );

      expect(toPatient.body.result).toContain(patient.slice(-4));
      expectErrorContract(toOther.body, 'RECIPIENT_NOT_CALLER');
      expect([sentTo(app, patient), sentTo(app, other), sentTo(app, AGENT_NUMBER)]).toEqual([
        1, 0, 0,
      ]);
    },
  );
});
