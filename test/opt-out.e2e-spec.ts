import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { INestApplication } from '@nestjs/common';
import { sign } from 'retell-sdk';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { Clock } from '../src/common/clock.js';
import { ConsentService } from '../src/consent/consent.service.js';
import { EventOutboxEntity } from '../src/events/event-outbox.entity.js';
import { MessageEntity } from '../src/messages/message.entity.js';
import { DispatcherService } from '../src/scheduling/dispatcher.service.js';
import { expectErrorContract } from './support/error-contract.js';
import { BASE_TEST_ENV, createTestApp } from './support/test-app.js';
import {
  listenOnLoopback,
  PLATFORM_KEYS,
  postJson,
  REST_KEY,
  RETELL_KEY,
  sentTo,
  VAPI_KEY,
  vapiToolCalls,
  type HttpAnswer,
} from './support/voice-platforms.js';

/**
 * record_text_opt_out, as each platform calls it in its own documented shape: the patient who
 * asks on the call to stop getting texts is opted out (source voice), and the next text to
 * the number is refused.
 */
const VAPI_SECRET = 'vapi-server-secret-0123456789';
const RETELL_API_KEY = 'key_retell_webhook_0123456789abcdef';
const MCP_KEY = 'mcp-agent-key-0123456789abcdefghij';
const ENV = {
  API_KEYS: `${BASE_TEST_ENV.API_KEYS},${PLATFORM_KEYS},mcp-agent:${MCP_KEY}:sms.send:mcp`,
  VAPI_SERVER_SECRET: VAPI_SECRET,
  RETELL_API_KEY,
  // Events are written to the outbox only with an endpoint; the worker is off in tests.
  EVENTS_WEBHOOK_URL: 'https://clinic.example.com/events',
  EVENTS_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};
const AGENT_NUMBER = '+12025550100';
const RETELL_AGENT = 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD';

let patients = 0;
/** A number no other test uses, so each test's consent is its own. */
const newPatient = () => `+1202555${String(6100 + ++patients)}`;
let calls = 0;
const newCallId = () => `6e0d1f2a-0000-4000-8000-${String(++calls).padStart(12, '0')}`;

interface OptOutCall {
  patient: string;
  conversation: string;
  /** What the model put in the arguments, besides what the platform binds. */
  args?: Record<string, unknown>;
  idempotencyKey?: string;
}

interface Said {
  ok: boolean;
  sentence: string;
  code?: string;
  body: Record<string, unknown>;
}

/** record_text_opt_out through one way in, on a phone call from `patient`. */
async function optOutVia(base: string, platform: string, call: OptOutCall): Promise<Said> {
  const args = call.args ?? { phone_number: call.patient };
  if (platform === 'rest') {
    // As ElevenLabs posts it: the context bound to its system variables.
    const res = await postJson(
      `${base}/api/sms/record-text-opt-out`,
      JSON.stringify({ ...args, caller_id: call.patient, conversation_id: call.conversation }),
      {
        'x-api-key': REST_KEY,
        ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}),
      },
    );
    return said(res, res.status === 200);
  }
  if (platform === 'vapi') {
    const body = vapiToolCalls({
      callId: call.conversation,
      customerNumber: call.patient,
      calls: [{ id: call.idempotencyKey ?? 'call_opt_out', name: 'record_text_opt_out', args }],
    });
    const res = await postJson(`${base}/api/vapi/tool-calls`, JSON.stringify(body), {
      authorization: `Bearer ${VAPI_KEY}`,
      'x-vapi-secret': VAPI_SECRET,
    });
    const [result] = res.body.results as Array<{
      result?: string;
      error?: string;
      metadata: Record<string, unknown>;
    }>;
    const error = result.metadata.error as { code?: string } | undefined;
    return {
      ok: result.result !== undefined,
      sentence: result.result ?? result.error ?? '',
      ...(error?.code ? { code: error.code } : {}),
      body: result.metadata,
    };
  }
  if (platform === 'retell') {
    const raw = JSON.stringify({
      name: 'record_text_opt_out',
      call: {
        call_id: call.conversation,
        agent_id: RETELL_AGENT,
        call_type: 'phone_call',
        call_status: 'ongoing',
        direction: 'inbound',
        from_number: call.patient,
        to_number: AGENT_NUMBER,
      },
      args,
    });
    const res = await postJson(`${base}/api/retell/custom-function`, raw, {
      'x-api-key': RETELL_KEY,
      'x-retell-signature': await sign(raw, RETELL_API_KEY),
    });
    return said(res, res.body.success === true, res.body.result as string);
  }
  if (platform !== 'mcp') throw new Error(`No way in named ${platform}`);
  const client = new Client({ name: 'opt-out-host', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: {
        headers: {
          Authorization: `Bearer ${MCP_KEY}`,
          'X-Conversation-Id': call.conversation,
          'X-Caller-Number': call.patient,
        },
      },
    }),
  );
  try {
    const result = (await client.callTool({
      name: 'record_text_opt_out',
      arguments: args,
    })) as CallToolResult;
    const body = result.structuredContent as Record<string, unknown>;
    const error = body.error as { code?: string } | undefined;
    return {
      ok: !result.isError,
      sentence: (result.content as Array<{ text: string }>)[0].text,
      ...(error?.code ? { code: error.code } : {}),
      body,
    };
  } finally {
    await client.close();
  }
}

function said(res: HttpAnswer, ok: boolean, sentence?: string): Said {
  const error = res.body.error as { code?: string } | undefined;
  return {
    ok,
    sentence: sentence ?? (res.body.agent_message as string),
    ...(error?.code ? { code: error.code } : {}),
    body: res.body,
  };
}

async function consentAudit(app: INestApplication, conversation: string) {
  const rows = await app
    .get(DataSource)
    .getRepository(AuditEventEntity)
    .find({
      where: { action: 'consent.changed', conversationId: conversation },
      order: { seq: 'ASC' },
    });
  return rows.map((r) => ({
    actor: r.actor,
    recipient: r.recipientMasked,
    details: JSON.parse(r.details ?? '{}') as Record<string, unknown>,
  }));
}

/** A text to the number through REST, as a later call would send it. */
const textTo = (base: string, to: string) =>
  postJson(`${base}/api/sms/send`, JSON.stringify({ phone_number: to, message: 'Your card.' }), {
    'x-api-key': REST_KEY,
  });

describe('record_text_opt_out on every way in (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({ env: ENV });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  it.each([
    ['rest', 'rest-agent'],
    ['vapi', 'vapi-agent'],
    ['retell', 'retell-agent'],
    ['mcp', 'mcp-agent'],
  ])(
    'through %s: opts the caller out (source voice), and the next text is refused',
    async (platform, actor) => {
      const patient = newPatient();
      const conversation = `conv_opt_out_${platform}_${newCallId()}`;
      expect((await textTo(base, patient)).status).toBe(201);

      const answer = await optOutVia(base, platform, { patient, conversation });

      expect(answer).toMatchObject({ ok: true });
      expect(answer.sentence).toBe(
        `Done: the number ending in ${patient.slice(-4)} won't get any more texts from us. If the patient changes their mind, they can text START to get them again.`,
      );
      expect(await app.get(ConsentService).isOptedOut(patient)).toBe(true);
      expect(await consentAudit(app, conversation)).toEqual([
        {
          actor,
          recipient: `***-***-${patient.slice(-4)}`,
          details: expect.objectContaining({
            state: 'opted_out',
            source: 'voice',
            platform,
            tool: 'record_text_opt_out',
          }) as unknown,
        },
      ]);

      const next = await textTo(base, patient);
      expect(next.status).toBe(422);
      expectErrorContract(next.body, 'RECIPIENT_OPTED_OUT');
      // The opt-out itself sent nothing: only the text before it went out.
      expect(sentTo(app, patient)).toBe(1);
    },
  );

  it('writes a consent.opted_out event whose source is voice', async () => {
    const patient = newPatient();
    const conversation = `conv_opt_out_event_${newCallId()}`;
    await optOutVia(base, 'vapi', { patient, conversation });

    const events = await app
      .get(DataSource)
      .getRepository(EventOutboxEntity)
      .find({ where: { type: 'consent.opted_out' } });
    const bodies = events.map((e) => JSON.parse(e.payload) as { data: Record<string, unknown> });
    const ours = bodies.filter((b) => b.data.conversation_id === conversation);
    expect(ours).toHaveLength(1);
    expect(ours[0].data).toMatchObject({
      source: 'voice',
      tool: 'record_text_opt_out',
      to: `***-***-${patient.slice(-4)}`,
    });
    expect(JSON.stringify(ours[0])).not.toContain(patient);
  });

  it('records a replayed call (same Idempotency-Key) once, and says the same sentence', async () => {
    const patient = newPatient();
    const conversation = `conv_opt_out_replay_${newCallId()}`;
    const call = { patient, conversation, idempotencyKey: `opt-out-${newCallId()}` };

    const first = await optOutVia(base, 'rest', call);
    const replay = await optOutVia(base, 'rest', call);

    expect(first.body).toMatchObject({ success: true, already_opted_out: false });
    expect(replay.body).toMatchObject({ success: true, already_opted_out: true });
    expect(replay.sentence).toBe(first.sentence);
    expect(await consentAudit(app, conversation)).toHaveLength(1);
  });

  it('opts out a number that had replied START to come back, and records the change', async () => {
    const patient = newPatient();
    await app.get(ConsentService).record(patient, {
      state: 'opted_in',
      source: 'keyword',
      keyword: 'START',
      actor: 'twilio',
    });
    const conversation = `conv_opt_out_again_${newCallId()}`;

    const answer = await optOutVia(base, 'retell', { patient, conversation });

    expect(answer.body).toMatchObject({ success: true });
    expect(await app.get(ConsentService).lookup(patient)).toMatchObject({
      state: 'opted_out',
      source: 'voice',
    });
  });

  it('writes no message row: it sends nothing and spends no text limit', async () => {
    const patient = newPatient();
    const conversation = `conv_opt_out_limit_${newCallId()}`;
    await optOutVia(base, 'mcp', { patient, conversation });

    const messages = await app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM "messages" WHERE "conversation_id" = ?', [conversation]);
    expect(Number((messages as Array<{ n: number }>)[0].n)).toBe(0);
  });
});

describe('record_text_opt_out under RECIPIENT_POLICY=caller_only (e2e, over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...ENV, RECIPIENT_POLICY: 'caller_only' } });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  it.each(['vapi', 'retell', 'mcp'])(
    "through %s: opts out the call's number, asked for none",
    async (platform) => {
      const caller = newPatient();
      const conversation = `conv_caller_only_${platform}_${newCallId()}`;

      const answer = await optOutVia(base, platform, { patient: caller, conversation, args: {} });

      expect(answer.ok).toBe(true);
      expect(answer.sentence).toContain(caller.slice(-4));
      expect(await app.get(ConsentService).isOptedOut(caller)).toBe(true);
    },
  );

  it.each(['rest', 'vapi', 'retell', 'mcp'])(
    'through %s: refuses the number the model chose, and opts out no one',
    async (platform) => {
      const caller = newPatient();
      const stranger = newPatient();
      const conversation = `conv_caller_only_stranger_${platform}_${newCallId()}`;

      const answer = await optOutVia(base, platform, {
        patient: caller,
        conversation,
        args: { phone_number: stranger, caller_id: stranger },
      });

      expect(answer.ok).toBe(false);
      expect(answer.code).toBe('RECIPIENT_NOT_CALLER');
      expect(await app.get(ConsentService).isOptedOut(stranger)).toBe(false);
      expect(await app.get(ConsentService).isOptedOut(caller)).toBe(false);
      expect(await consentAudit(app, conversation)).toEqual([]);
    },
  );
});

describe('record_text_opt_out and a text held for later (e2e, over HTTP)', () => {
  const NIGHT = new Date('2026-11-26T03:00:00Z'); // 22:00 in New York: quiet hours
  const MORNING = new Date('2026-11-26T13:00:00Z'); // 08:00 in New York
  const clock = { current: NIGHT, now: () => new Date(clock.current) };
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({
      env: { ...ENV, QUIET_HOURS: '21:00-08:00', DEFAULT_TIMEZONE: 'America/New_York' },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  it('cancels a text held for the morning when the patient opts out on the call', async () => {
    const patient = newPatient();
    const held = await textTo(base, patient);
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'scheduled' });

    await optOutVia(base, 'vapi', { patient, conversation: `conv_held_${newCallId()}` });
    clock.current = MORNING;

    expect(await app.get(DispatcherService).dispatchDue()).toMatchObject({ canceled: 1 });
    expect(sentTo(app, patient)).toBe(0);
    expect(
      await app
        .get(DataSource)
        .getRepository(MessageEntity)
        .findOneByOrFail({ id: held.body.message_id as string }),
    ).toMatchObject({ status: 'canceled', errorCode: 'CONSENT_WITHDRAWN' });
  });
});
