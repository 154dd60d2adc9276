import type { INestApplication } from '@nestjs/common';
import type { Vapi } from '@vapi-ai/server-sdk';
import { symmetric } from 'retell-sdk/lib/webhook_auth';
import type { WebCallResponse } from 'retell-sdk/resources/call';
import { vapiSignature } from '../src/agents/vapi/vapi-secret.guard.js';
import { Clock } from '../src/common/clock.js';
import { ConsentService } from '../src/consent/consent.service.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { expectErrorContract } from './support/error-contract.js';
import { BASE_TEST_ENV, createTestApp, TEST_API_KEY } from './support/test-app.js';
import {
  listenOnLoopback,
  PLATFORM_KEYS,
  postJson,
  REST_KEY,
  RETELL_KEY,
  sentTo,
  VAPI_KEY,
  vapiToolCalls,
} from './support/voice-platforms.js';

/**
 * Attacks on the voice platform ways in, each as a client would make it over HTTP with the
 * platform's documented payload. MCP's are in test/attacks-mcp.e2e-spec.ts.
 */
const NOW = new Date('2026-03-02T15:00:00.000Z');
const clock = { now: () => new Date(NOW) };
const RETELL_API_KEY = 'key_retell_webhook_0123456789abcdef';
const HMAC_SECRET = 'vapi-hmac-secret-0123456789ab';
const ENV = {
  API_KEYS: `${BASE_TEST_ENV.API_KEYS},${PLATFORM_KEYS}`,
  RETELL_API_KEY,
  VAPI_HMAC_SECRET: HMAC_SECRET,
};
/** Numbers an attacker talks the agent into texting, one per test. */
let strangers = 0;
const newStranger = () => `+1202555${String(7000 + ++strangers)}`;
const CALLER = '+12025557902';

let calls = 0;
const newCallId = () => `7a1c0b2e-0000-4000-8000-${String(++calls).padStart(12, '0')}`;

async function appWith(env: Record<string, string>): Promise<[INestApplication, string]> {
  const app = await createTestApp({
    env: { ...ENV, ...env },
    override: (builder) => builder.overrideProvider(Clock).useValue(clock),
  });
  return [app, await listenOnLoopback(app)];
}

/** A Vapi server message, HMAC-signed with a timestamp in seconds (or as given). */
function postVapi(
  base: string,
  body: object,
  { timestamp = String(NOW.getTime() / 1000), key = VAPI_KEY } = {},
) {
  const raw = JSON.stringify(body);
  return postJson(`${base}/api/vapi/tool-calls`, raw, {
    authorization: `Bearer ${key}`,
    'x-timestamp': timestamp,
    'x-signature': vapiSignature(HMAC_SECRET, timestamp, raw),
  });
}

/** A Retell custom function, signed by retell-sdk at the service's time. */
async function postRetell(base: string, body: object) {
  const raw = JSON.stringify(body);
  return postJson(`${base}/api/retell/custom-function`, raw, {
    'x-api-key': RETELL_KEY,
    'x-retell-signature': await symmetric.sign(raw, RETELL_API_KEY, NOW.getTime()),
  });
}

type VapiResult = Vapi.ToolCallResult & { metadata: { error?: { code: string } } };
const vapiResult = (answer: { body: Record<string, unknown> }) =>
  (answer.body.results as VapiResult[])[0];

/** What a model talked into it puts in the arguments: a stranger, and the stranger as "caller". */
const injected = (stranger: string) => ({
  phone_number: stranger,
  caller_id: stranger,
  message: 'Your code is 1234.',
});

describe('caller_only holds on calls without a caller number (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => ([app, base] = await appWith({ RECIPIENT_POLICY: 'caller_only' })));
  afterAll(() => app.close());

  it('refuses a Retell web call whose model names the number and the caller', async () => {
    const webCall: Pick<WebCallResponse, 'call_id' | 'agent_id' | 'call_type' | 'call_status'> = {
      call_id: `web_${newCallId()}`,
      agent_id: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD',
      call_type: 'web_call',
      call_status: 'ongoing',
    };
    const stranger = newStranger();
    const args = injected(stranger);
    const answer = await postRetell(base, { name: 'send_sms', call: webCall, args });

    expect(sentTo(app, stranger)).toBe(0);
    expect(answer.status).toBe(200);
    expectErrorContract(answer.body, 'RECIPIENT_NOT_CALLER');
  });

  const vapiMessages: [string, (call: Vapi.ToolCall) => object][] = [
    [
      'a Vapi web call (no customer)',
      (toolCall) => {
        const { message } = vapiToolCalls({ callId: newCallId(), calls: [] });
        const call = { ...message.call, type: 'webCall' } as Vapi.Call;
        return { message: { ...message, call, toolCallList: [toolCall] } };
      },
    ],
    [
      'a Vapi message with no call',
      (toolCall) => ({
        message: { type: 'tool-calls', timestamp: NOW.getTime(), toolCallList: [toolCall] },
      }),
    ],
  ];

  it.each(vapiMessages)(
    'refuses %s whose model names the number and the caller',
    async (_, build) => {
      const stranger = newStranger();
      const toolCall: Vapi.ToolCall = {
        id: `call_${newCallId()}`,
        type: 'function',
        function: { name: 'send_sms', arguments: JSON.stringify(injected(stranger)) },
      };
      const answer = await postVapi(base, build(toolCall));

      expect(sentTo(app, stranger)).toBe(0);
      expect(answer.status).toBe(200);
      expectErrorContract(vapiResult(answer).metadata, 'RECIPIENT_NOT_CALLER');
    },
  );

  it('sends nothing on a Vapi web call whose model names no number (no recipient at all)', async () => {
    const { message } = vapiToolCalls({
      callId: newCallId(),
      calls: [{ id: 'call_web', name: 'send_sms', args: { message: 'Your card.' } }],
    });
    const before = app.get<SandboxProvider>(SMS_PROVIDER).recent().length;
    const answer = await postVapi(base, {
      message: { ...message, call: { ...message.call, type: 'webCall' } },
    });

    expectErrorContract(vapiResult(answer).metadata, 'VALIDATION_FAILED');
    expect(app.get<SandboxProvider>(SMS_PROVIDER).recent().length).toBe(before);
  });

  it('does not opt out a number the model chose, on a phone call or a web call', async () => {
    const stranger = newStranger();
    const args = { phone_number: stranger, caller_id: stranger };
    const phoneCall = await postVapi(
      base,
      vapiToolCalls({
        callId: newCallId(),
        customerNumber: '+12025557903',
        calls: [{ id: 'call_opt_out_stranger', name: 'record_text_opt_out', args }],
      }),
    );
    const webCall = await postRetell(base, {
      name: 'record_text_opt_out',
      call: {
        call_id: `web_${newCallId()}`,
        agent_id: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD',
        call_type: 'web_call',
        call_status: 'ongoing',
      },
      args,
    });

    expectErrorContract(vapiResult(phoneCall).metadata, 'RECIPIENT_NOT_CALLER');
    expectErrorContract(webCall.body, 'RECIPIENT_NOT_CALLER');
    expect(await app.get(ConsentService).isOptedOut(stranger)).toBe(false);
    expect(await app.get(ConsentService).isOptedOut('+12025557903')).toBe(false);
  });

  it("still texts the caller of a phone call, and REST takes the platform's caller_id", async () => {
    const phone = await postVapi(
      base,
      vapiToolCalls({
        callId: newCallId(),
        customerNumber: CALLER,
        calls: [{ id: 'call_honest', name: 'send_sms', args: { message: 'Your card.' } }],
      }),
    );
    // ElevenLabs binds caller_id (and phone_number) to system__caller_id: the body carries it.
    const rest = await postJson(
      `${base}/api/sms/send`,
      JSON.stringify({ phone_number: CALLER, caller_id: CALLER, message: 'Your card, again.' }),
      { 'x-api-key': REST_KEY },
    );

    expect(vapiResult(phone).result).toContain(CALLER.slice(-4));
    expect(rest.status).toBe(201);
    expect(sentTo(app, CALLER)).toBe(2);
  });
});

describe('Vapi arguments and signatures under attack (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => ([app, base] = await appWith({})));
  afterAll(() => app.close());

  const message = (to: string, args: string | object = { phone_number: to, message: 'Hi.' }) => {
    const body = vapiToolCalls({
      callId: newCallId(),
      customerNumber: to,
      calls: [{ id: `call_${newCallId()}`, name: 'send_sms', args: {} }],
    });
    body.message.toolCallList[0].function.arguments = args as string;
    return body;
  };

  it.each([
    ['100,000 deep (200 KB): over the size limit', 100_000, 413, 'PAYLOAD_TOO_LARGE'],
    ['7,000 deep (14 KB): within the size limit', 7_000, 400, 'VALIDATION_FAILED'],
  ])('refuses arguments nested %s in a JSON string, not a 500', async (_, depth, status, code) => {
    const to = '+12025557010';
    const deep = `{"phone_number":"${to}","message":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const answer = await postVapi(base, message(to, deep));

    expect(answer.status).toBe(status);
    expectErrorContract(answer.body, code);
    expect(sentTo(app, to)).toBe(0);
  });

  it('refuses an arguments string larger than a tool body may be (BODY_LIMIT_BYTES)', async () => {
    const to = '+12025557011';
    const big = JSON.stringify({ phone_number: to, message: 'Hi.', padding: 'x'.repeat(20_000) });
    const answer = await postVapi(base, message(to, big));

    expect(answer.status).toBe(413);
    expectErrorContract(answer.body, 'PAYLOAD_TOO_LARGE');
    expect(sentTo(app, to)).toBe(0);
  });

  it.each([
    ['the epoch', '1'],
    ['ten minutes ago, in seconds', String(NOW.getTime() / 1000 - 600)],
    ['ten minutes ago, in milliseconds', String(NOW.getTime() - 600_000)],
    ['ten minutes ahead, in seconds', String(NOW.getTime() / 1000 + 600)],
    ['not a number', 'yesterday'],
  ])('refuses a correct HMAC signed at %s (a replay)', async (_, timestamp) => {
    const to = '+12025557012';
    const answer = await postVapi(base, message(to), { timestamp });

    expect(answer.status).toBe(401);
    expectErrorContract(answer.body, 'UNAUTHORIZED');
    expect(sentTo(app, to)).toBe(0);
  });

  it.each([
    ['in seconds', String(NOW.getTime() / 1000 - 60), '+12025557021'],
    ['in milliseconds', String(NOW.getTime() - 60_000), '+12025557022'],
  ])('takes an HMAC signed a minute ago, %s', async (_, timestamp, to) => {
    const answer = await postVapi(base, message(to), { timestamp });

    expect(answer.status).toBe(200);
    expect(vapiResult(answer).result).toContain(to.slice(-4));
  });
});

describe('Idempotency keys: a REST header never meets a platform key (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => ([app, base] = await appWith({})));
  afterAll(() => app.close());

  const restSend = (key: string, to: string) =>
    postJson(`${base}/api/sms/send`, JSON.stringify({ phone_number: to, message: 'From REST.' }), {
      'x-api-key': TEST_API_KEY,
      'idempotency-key': key,
    });

  it("does not take a Vapi tool call's key with a REST Idempotency-Key spelled like it", async () => {
    const callId = newCallId();
    const [restPatient, vapiPatient] = ['+12025557031', '+12025557032'];
    const rest = await restSend(`vapi:${callId}:call_taken`, restPatient);
    const vapi = await postVapi(
      base,
      vapiToolCalls({
        callId,
        customerNumber: vapiPatient,
        calls: [
          {
            id: 'call_taken',
            name: 'send_sms',
            args: { phone_number: vapiPatient, message: 'From Vapi.' },
          },
        ],
      }),
      { key: TEST_API_KEY },
    );
    const retried = await restSend(`vapi:${callId}:call_taken`, restPatient);

    expect(rest.status).toBe(201);
    expect(vapiResult(vapi).error).toBeUndefined();
    expect(vapiResult(vapi).result).toContain(vapiPatient.slice(-4));
    // The REST key still does its job: the retry replays the first answer.
    expect(retried.status).toBe(201);
    expect(retried.body.message_id).toBe(rest.body.message_id);
    expect([sentTo(app, restPatient), sentTo(app, vapiPatient)]).toEqual([1, 1]);
  });
});

describe('A Vapi message with many tool calls counts each against the per-key limit (e2e)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => ([app, base] = await appWith({ RATE_LIMIT_PER_KEY: '5' })));
  afterAll(() => app.close());

  const manyCalls = (numbers: string[]) => ({
    message: {
      type: 'tool-calls',
      timestamp: NOW.getTime(),
      toolCallList: numbers.map((to, i): Vapi.ToolCall => ({
        id: `call_${newCallId()}_${i}`,
        type: 'function',
        function: {
          name: 'send_sms',
          arguments: JSON.stringify({ phone_number: to, message: 'Hi.' }),
        },
      })),
    },
  });

  it('refuses one message of 10 tool calls against a limit of 5, and sends nothing', async () => {
    const numbers = Array.from({ length: 10 }, newStranger);
    const answer = await postVapi(base, manyCalls(numbers));

    expect(answer.status).toBe(429);
    expectErrorContract(answer.body, 'RATE_LIMITED');
    expect(numbers.map((to) => sentTo(app, to))).toEqual(numbers.map(() => 0));
  });
});
