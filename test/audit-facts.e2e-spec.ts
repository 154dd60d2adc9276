import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { AuditEventDto } from '../src/audit/dto/audit-event.dto.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { deliverSigned, INBOUND_TWILIO_ENV, newSid } from './inbound-replay.suite.js';
import { createTestApp } from './support/test-app.js';
import { listenOnLoopback, postJson, vapiToolCalls } from './support/voice-platforms.js';

const OLD_SECRET = 'clinic-old-secret-0123456789abcdef';
const NEW_SECRET = 'clinic-new-secret-abcdef0123456789';
const READ_ONLY = 'read-only-key-0123456789abcdefghij';
const AUDITOR = 'auditor-key-0123456789abcdefghijk';
const VAPI_SECRET = 'vapi-server-secret-0123456789';
const KEYS = [
  // A rotation in progress: both secrets of one name work.
  `clinic:${OLD_SECRET}:sms.send+sms.read`,
  `clinic:${NEW_SECRET}:sms.send+sms.read`,
  `reader:${READ_ONLY}:sms.read`,
  `auditor:${AUDITOR}:audit.read`,
].join(',');
const SPANISH_HELP = 'Clínica Acme: llame al 202-555-0100. Responda STOP para no recibir más.';

const fingerprintOf = (key: string) =>
  createHash('sha256')
    .update(createHash('sha256').update(key).digest('hex'))
    .digest('hex')
    .slice(0, 12);
/** docs/OPERATIONS.md: a reply's version is the SHA-256 of its text as JSON, 12 digits. */
const versionOf = (text: string) =>
  createHash('sha256').update(JSON.stringify(text)).digest('hex').slice(0, 12);

let lines = 0;
const newPatient = () => `+1202555${String(6500 + ++lines)}`;
/** An array nested past the 32 levels any body may have: refused before the key is read. */
const tooDeep = (depth = 40): unknown => (depth === 0 ? 'x' : [tooDeep(depth - 1)]);

async function eventsWhere(app: INestApplication, query: object): Promise<AuditEventDto[]> {
  const res = await request(app.getHttpServer())
    .get('/api/audit/events')
    .set('X-API-Key', AUDITOR)
    .query({ limit: 500, ...query })
    .expect(200);
  return res.body.events;
}

function factsSpec(env: () => Record<string, string>) {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({
      env: { API_KEYS: KEYS, TRUST_PROXY_HOPS: '1', VAPI_SERVER_SECRET: VAPI_SECRET, ...env() },
    });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app?.close());

  const http = () => request(app.getHttpServer());
  const sendCard = (key: string, to: string, extra: object = {}) =>
    http()
      .post('/api/sms/send-copay-card')
      .set('X-API-Key', key)
      .set('X-Forwarded-For', '198.51.100.20')
      .send({
        phone_number: to,
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
        ...extra,
      })
      .expect(201);
  const requestedBy = async (requestId: string) =>
    (await eventsWhere(app, { request_id: requestId })).find((e) => e.action === 'sms.requested');

  it('records who sent a text: agent, client address, key fingerprint, template and version', async () => {
    const sent = await sendCard(OLD_SECRET, newPatient(), {
      agent_id: 'agent_facts_1',
      language: 'es',
    });
    const events = await eventsWhere(app, { message_id: sent.body.message_id });
    expect(events.find((e) => e.action === 'sms.requested')?.details).toMatchObject({
      platform: 'rest',
      agent_id: 'agent_facts_1',
      client_ip: '198.51.100.20',
      key_fingerprint: fingerprintOf(OLD_SECRET),
      template_language: 'es',
      template_version: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(events.find((e) => e.action === 'sms.sent')?.details).toMatchObject({
      agent_id: 'agent_facts_1',
    });

    // The version names the template, not the patient: another patient, the same version.
    const again = await sendCard(OLD_SECRET, newPatient(), { language: 'es', patient_name: 'Ana' });
    const english = await sendCard(OLD_SECRET, newPatient(), { language: 'en' });
    const version = async (res: request.Response) =>
      (await requestedBy(res.headers['x-request-id']))?.details?.template_version;
    expect(await version(again)).toBe(events[0].details?.template_version);
    expect(await version(english)).not.toBe(events[0].details?.template_version);
  });

  it('records the agent the platform names on a Vapi call', async () => {
    const to = newPatient();
    const body = vapiToolCalls({
      callId: '5f0c2a1e-0000-4000-8000-00000000f001',
      assistantId: 'a1b2c3d4-0000-4000-8000-0000000000aa',
      calls: [{ id: 'call_f1', name: 'send_sms', args: { phone_number: to, message: 'Hi.' } }],
    });
    const answer = await postJson(`${base}/api/vapi/tool-calls`, JSON.stringify(body), {
      authorization: `Bearer ${NEW_SECRET}`,
      'x-vapi-secret': VAPI_SECRET,
      'x-request-id': 'facts-vapi-request-1',
    });
    expect(answer.status).toBe(200);
    expect((await requestedBy('facts-vapi-request-1'))?.details).toMatchObject({
      platform: 'vapi',
      agent_id: 'a1b2c3d4-0000-4000-8000-0000000000aa',
      key_fingerprint: fingerprintOf(NEW_SECRET),
      client_ip: '127.0.0.1',
    });
  });

  it('tells the old and new secrets of a rotated key apart, without either secret', async () => {
    const old = await sendCard(OLD_SECRET, newPatient());
    const renewed = await sendCard(NEW_SECRET, newPatient());
    const oldEvent = await requestedBy(old.headers['x-request-id']);
    const newEvent = await requestedBy(renewed.headers['x-request-id']);

    expect([oldEvent?.actor, newEvent?.actor]).toEqual(['clinic', 'clinic']);
    expect(oldEvent?.details?.key_fingerprint).toBe(fingerprintOf(OLD_SECRET));
    expect(newEvent?.details?.key_fingerprint).toBe(fingerprintOf(NEW_SECRET));
    const stored = JSON.stringify(await eventsWhere(app, { actor: 'clinic' }));
    for (const secret of [OLD_SECRET, NEW_SECRET]) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(createHash('sha256').update(secret).digest('hex'));
    }
  });

  it('records the client address, and the key fingerprint, of a refused authentication', async () => {
    const guess = await http()
      .get('/api/sms/messages/0b6f7d1e-3c2a-4e5f-8a9b-0c1d2e3f4a5b')
      .set('X-API-Key', 'guessed-key-0123456789abcdefghij')
      .set('X-Forwarded-For', '198.51.100.30')
      .expect(401);
    const [denied] = await eventsWhere(app, { request_id: guess.headers['x-request-id'] });
    expect(denied).toMatchObject({
      actor: 'anonymous',
      action: 'auth.denied',
      details: { client_ip: '198.51.100.30' },
    });

    const noScope = await http()
      .post('/api/sms/send')
      .set('X-API-Key', READ_ONLY)
      .set('X-Forwarded-For', '198.51.100.31')
      .send({ phone_number: newPatient(), message: 'Hi.' })
      .expect(403);
    const [refused] = await eventsWhere(app, { request_id: noScope.headers['x-request-id'] });
    expect(refused).toMatchObject({
      actor: 'reader',
      action: 'auth.denied',
      details: { client_ip: '198.51.100.31', key_fingerprint: fingerprintOf(READ_ONLY) },
    });
  });

  it("lets no unauthenticated request put its refusal in a patient's or a conversation's history", async () => {
    const victim = newPatient();
    const attack = await http()
      .post('/api/sms/send')
      .send({ phone_number: victim, conversation_id: 'conv_victim_call', message: tooDeep() })
      .expect(400);

    expect(await eventsWhere(app, { phone_number: victim })).toEqual([]);
    expect(await eventsWhere(app, { conversation_id: 'conv_victim_call' })).toEqual([]);
    const [refused] = await eventsWhere(app, { request_id: attack.headers['x-request-id'] });
    expect(refused).toMatchObject({
      actor: 'anonymous',
      action: 'sms.rejected',
      recipient_hash: null,
      recipient_masked: null,
      conversation_id: null,
      details: { code: 'VALIDATION_FAILED', client_ip: '127.0.0.1' },
    });
  });
}

function autoReplySpec(env: () => Record<string, string>) {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ...INBOUND_TWILIO_ENV,
        API_KEYS: KEYS,
        CONSENT_HELP_REPLY: SPANISH_HELP,
        CONSENT_REPLY_LANGUAGE: 'es',
        ...env(),
      },
    });
  });
  afterAll(() => app?.close());

  const repliesTo = async (patient: string) =>
    (await eventsWhere(app, { phone_number: patient }))
      .filter((e) => e.action === 'sms.auto_replied')
      .map((e) => ({ actor: e.actor, recipient_hash: e.recipient_hash, details: e.details }));

  it('records HELP, STOP and START answers as texts to the patient, without their words', async () => {
    const patient = newPatient();
    const help = { From: patient, Body: 'help', MessageSid: newSid() };
    const stop = { From: patient, Body: 'STOP', MessageSid: newSid() };
    const start = { From: patient, Body: 'Start', MessageSid: newSid() };
    expect((await deliverSigned(app, help).expect(200)).text).toContain('Clínica Acme');
    await deliverSigned(app, stop).expect(200);
    await deliverSigned(app, start).expect(200);
    // Twilio retries a delivery it thinks failed: answered once, recorded once.
    await deliverSigned(app, help).expect(200);

    const hash = app.get(RecipientHasher).hash(patient);
    const config = {
      template_language: 'es',
      body_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    };
    expect(await repliesTo(patient)).toEqual([
      {
        actor: 'system',
        recipient_hash: hash,
        details: {
          reply: 'help',
          keyword: 'HELP',
          in_reply_to: help.MessageSid,
          template_version: versionOf(SPANISH_HELP),
          ...config,
        },
      },
      expect.objectContaining({
        details: expect.objectContaining({ reply: 'opt_out', keyword: 'STOP' }),
      }),
      expect.objectContaining({
        details: expect.objectContaining({ reply: 'opt_in', keyword: 'START' }),
      }),
    ]);
    expect(JSON.stringify(await eventsWhere(app, { phone_number: patient }))).not.toMatch(
      /Acme|unsubscribed|resubscribed/,
    );
  });

  it("records nothing as ours when Twilio's Advanced Opt-Out answered", async () => {
    const patient = newPatient();
    const twiml = await deliverSigned(app, {
      From: patient,
      Body: 'HELP',
      OptOutType: 'HELP',
      MessageSid: newSid(),
    }).expect(200);
    expect(twiml.text).not.toContain('Acme');
    expect(await repliesTo(patient)).toEqual([]);
  });
}

describe('the facts an auditor needs (e2e, SQLite)', () => {
  describe('sends and refusals', () => factsSpec(() => ({})));
  describe('automatic replies', () => autoReplySpec(() => ({})));
});

describeWithPostgres('the facts an auditor needs (e2e, PostgreSQL)', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('audit_facts');
  });
  afterAll(() => db.drop());
  // Nested, so each app closes before its database is dropped.
  describe('sends and refusals', () => factsSpec(() => ({ DATABASE_URL: db.url })));
  describe('automatic replies', () => autoReplySpec(() => ({ DATABASE_URL: db.url })));
});
