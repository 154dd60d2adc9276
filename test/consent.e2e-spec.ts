import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { ConsentService } from '../src/consent/consent.service.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';
import { recordedText } from './support/recorded-text.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'consent-test-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const INBOUND_URL = `${PUBLIC_BASE_URL}/api/twilio/inbound`;
const TWILIO_ENV = {
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_PHONE_NUMBER: '+12025550100',
  PUBLIC_BASE_URL,
};
const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const EMPTY_TWIML = `${XML}<Response/>`;
const HELP_REPLY = 'Acme Clinic texts: call 202-555-0100 for help. Reply STOP to opt out & <more>';

/** Signs like Twilio: HMAC-SHA1 over the public URL and the sorted form fields. */
const sign = (params: Record<string, string>, url = INBOUND_URL, token = AUTH_TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, params);

/** A distinct, valid US number per test, so tests do not see each other's records. */
let nextLine = 1000;
const freshNumber = () => `+1202555${String(nextLine++).padStart(4, '0')}`;

function webhook(app: INestApplication) {
  return (params: Record<string, string>, signature = sign(params)) =>
    request(app.getHttpServer())
      .post('/api/twilio/inbound')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send(params);
}

describe('consent keywords through the inbound webhook (e2e)', () => {
  let app: INestApplication;
  let reply: ReturnType<typeof webhook>;
  let consent: ConsentService;

  beforeAll(async () => {
    app = await createTestApp({ env: { ...TWILIO_ENV, CONSENT_HELP_REPLY: HELP_REPLY } });
    reply = webhook(app);
    consent = app.get(ConsentService);
  });
  afterAll(() => app.close());

  const consentEvents = (from: string) =>
    app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ action: 'consent.changed', recipientMasked: `***-***-${from.slice(-4)}` });
  const lookup = async (phone: string) =>
    (
      await request(app.getHttpServer())
        .get(`/api/consent/${encodeURIComponent(phone)}`)
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200)
    ).body;

  it.each([
    'STOP',
    'STOPALL',
    'UNSUBSCRIBE',
    'CANCEL',
    'END',
    'QUIT',
    'REVOKE',
    'OPT OUT',
    'OPTOUT',
  ])('%s opts the sender out and answers with the confirmation', async (keyword) => {
    const from = freshNumber();
    const res = await reply({ From: from, To: '+12025550100', Body: keyword.toLowerCase() })
      .expect(200)
      .expect('Content-Type', /^text\/xml/);
    expect(res.text).toBe(
      `${XML}<Response><Message>You&apos;re unsubscribed and will get no more texts from us. Reply START to resubscribe.</Message></Response>`,
    );
    await expect(consent.isOptedOut(from)).resolves.toBe(true);
    expect(await lookup(from)).toMatchObject({
      opted_out: true,
      state: 'opted_out',
      source: 'keyword',
      keyword,
      actor: 'twilio',
    });
  });

  it.each(['Stop.', '  stop!! ', 'Opt-Out'])('reads %j as an opt-out', async (body) => {
    const from = freshNumber();
    const res = await reply({ From: from, Body: body }).expect(200);
    expect(res.text).toContain('unsubscribed');
    await expect(consent.isOptedOut(from)).resolves.toBe(true);
  });

  it.each(['yes please', 'Thanks!', 'Can we do Thursday?'])(
    'records nothing for %j and answers with an empty Response',
    async (body) => {
      const from = freshNumber();
      const res = await reply({ From: from, Body: body }).expect(200);
      expect(res.text).toBe(EMPTY_TWIML);
      expect(await lookup(from)).toMatchObject({ opted_out: false, state: null });
      expect(await consentEvents(from)).toEqual([]);
    },
  );

  it('opts out on a revocation in words ("Please stop texting me about the refill")', async () => {
    const from = freshNumber();
    const res = await reply({ From: from, Body: 'Please stop texting me about the refill' }).expect(
      200,
    );
    expect(res.text).toContain('unsubscribed');
    expect(await lookup(from)).toMatchObject({ opted_out: true, source: 'reply_phrase' });
  });

  it('asks once, and records nothing, when "stop" comes among other words ("stop it please")', async () => {
    const from = freshNumber();
    const first = await reply({ From: from, Body: 'stop it please' }).expect(200);
    expect(first.text).toContain('Reply STOP');
    const second = await reply({ From: from, Body: 'stop it please' }).expect(200);
    expect(second.text).toBe(EMPTY_TWIML);
    expect(await lookup(from)).toMatchObject({ opted_out: false, state: null });
    expect(await consentEvents(from)).toEqual([]);
  });

  it.each(['START', 'yes', 'Unstop!'])('%s after STOP opts back in', async (keyword) => {
    const from = freshNumber();
    await reply({ From: from, Body: 'STOP' }).expect(200);
    await expect(consent.isOptedOut(from)).resolves.toBe(true);

    const res = await reply({ From: from, Body: keyword }).expect(200);
    expect(res.text).toBe(
      `${XML}<Response><Message>You&apos;re resubscribed and will get texts from us again. Reply STOP to unsubscribe, HELP for help.</Message></Response>`,
    );
    await expect(consent.isOptedOut(from)).resolves.toBe(false);
    expect(await lookup(from)).toMatchObject({ state: 'opted_in', source: 'keyword' });
    expect(await consentEvents(from)).toHaveLength(2);
  });

  it.each(['HELP', 'info', ' Help? '])(
    '%j gets the configured help text, escaped, and changes nothing',
    async (body) => {
      const from = freshNumber();
      const res = await reply({ From: from, Body: body }).expect(200);
      expect(res.text).toBe(
        `${XML}<Response><Message>Acme Clinic texts: call 202-555-0100 for help. Reply STOP to opt out &amp; &lt;more&gt;</Message></Response>`,
      );
      expect(await lookup(from)).toMatchObject({ state: null });
      expect(await consentEvents(from)).toEqual([]);
    },
  );

  it('HELP after STOP leaves the number opted out', async () => {
    const from = freshNumber();
    await reply({ From: from, Body: 'STOP' }).expect(200);
    await reply({ From: from, Body: 'HELP' }).expect(200);
    await expect(consent.isOptedOut(from)).resolves.toBe(true);
  });

  it("records Advanced Opt-Out's OptOutType, custom keywords included, and lets Twilio answer", async () => {
    const from = freshNumber();
    const sid = `SM${'b'.repeat(32)}`;
    const stop = await reply({ From: from, Body: 'Baja', OptOutType: 'STOP', MessageSid: sid });
    expect(stop.status).toBe(200);
    expect(stop.text).toBe(EMPTY_TWIML);
    expect(await lookup(from)).toMatchObject({
      state: 'opted_out',
      source: 'twilio_advanced_opt_out',
      keyword: 'STOP',
    });
    const [event] = await consentEvents(from);
    expect(JSON.parse(event.details ?? '{}')).toMatchObject({ provider_sid: sid });

    const start = await reply({ From: from, Body: 'unstop', OptOutType: 'START' }).expect(200);
    expect(start.text).toBe(EMPTY_TWIML);
    expect(await lookup(from)).toMatchObject({
      state: 'opted_in',
      source: 'twilio_advanced_opt_out',
      keyword: 'UNSTOP',
    });

    const help = await reply({ From: from, Body: 'ayuda', OptOutType: 'HELP' }).expect(200);
    expect(help.text).toBe(EMPTY_TWIML);
    expect(await consentEvents(from)).toHaveLength(2);
  });

  it('records nothing when the sender is not a phone number', async () => {
    const res = await reply({ From: 'whatsapp:+12025550999', Body: 'STOP' }).expect(200);
    expect(res.text).toBe(EMPTY_TWIML);
    await expect(consent.isOptedOut('+12025550999')).resolves.toBe(false);
  });

  it('refuses a tampered or unsigned reply with 403 and records nothing', async () => {
    const from = freshNumber();
    const signed = { From: from, Body: 'Thanks' };
    const tampered = await reply({ ...signed, Body: 'STOP' }, sign(signed)).expect(403);
    expect(tampered.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    await reply(
      { From: from, Body: 'STOP' },
      sign({ From: from, Body: 'STOP' }, INBOUND_URL, 'x'),
    ).expect(403);
    await request(app.getHttpServer())
      .post('/api/twilio/inbound')
      .type('form')
      .send({ From: from, Body: 'STOP' })
      .expect(403);
    await expect(consent.isOptedOut(from)).resolves.toBe(false);
  });

  it('keeps the audit chain intact', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/audit/verify')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
  });
});

describe('consent replies with TWILIO_ADVANCED_OPT_OUT=true (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...TWILIO_ENV, TWILIO_ADVANCED_OPT_OUT: 'true' } });
  });
  afterAll(() => app.close());

  it('records the keyword but answers with an empty Response, Twilio having answered', async () => {
    const reply = webhook(app);
    const from = freshNumber();
    expect((await reply({ From: from, Body: 'STOP' }).expect(200)).text).toBe(EMPTY_TWIML);
    await expect(app.get(ConsentService).isOptedOut(from)).resolves.toBe(true);
    expect((await reply({ From: from, Body: 'HELP' }).expect(200)).text).toBe(EMPTY_TWIML);
    expect((await reply({ From: from, Body: 'START' }).expect(200)).text).toBe(EMPTY_TWIML);
    await expect(app.get(ConsentService).isOptedOut(from)).resolves.toBe(false);
  });
});

describe('consent admin API (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: TWILIO_ENV });
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  const admin = {
    get: (path: string) => http().get(path).set('X-API-Key', TEST_ADMIN_KEY),
    post: (body: object) => http().post('/api/consent').set('X-API-Key', TEST_ADMIN_KEY).send(body),
  };

  it('needs an API key (401) with the admin scope (403)', async () => {
    const number = encodeURIComponent('+12025550143');
    await http().get(`/api/consent/${number}`).expect(401);
    await http().get('/api/consent/changes').expect(401);
    await http().post('/api/consent').send({}).expect(401);
    const forbidden = await http()
      .get(`/api/consent/${number}`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    await http().get('/api/consent/changes').set('X-API-Key', TEST_API_KEY).expect(403);
    await http()
      .post('/api/consent')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', state: 'opted_out', reason: 'asked to stop' })
      .expect(403);
    await expect(app.get(ConsentService).isOptedOut('+12025550143')).resolves.toBe(false);
  });

  it('answers a number with no record as not opted out, masked', async () => {
    const res = await admin.get('/api/consent/+12025550177').expect(200);
    expect(res.body).toEqual({
      phone_number: '***-***-0177',
      opted_out: false,
      state: null,
      source: null,
      keyword: null,
      reason: null,
      actor: null,
      changed_at: null,
      audit_seq: null,
    });
  });

  it('records an opt-out and an opt-in with a reason, and looks them up by any spelling', async () => {
    const out = await admin
      .post({
        phone_number: '(202) 555-0161',
        state: 'opted_out',
        reason: 'patient asked on call conv_123 to stop texts',
        conversation_id: 'conv_123',
      })
      .expect(201);
    expect(out.body).toMatchObject({
      phone_number: '***-***-0161',
      opted_out: true,
      state: 'opted_out',
      source: 'api',
      keyword: null,
      reason: 'patient asked on call conv_123 to stop texts',
      actor: 'ops',
      audit_seq: expect.any(Number),
    });
    expect(JSON.stringify(out.body)).not.toContain('5550161');
    await expect(app.get(ConsentService).isOptedOut('+12025550161')).resolves.toBe(true);

    const looked = await admin
      .get(`/api/consent/${encodeURIComponent('+12025550161')}`)
      .expect(200);
    expect(looked.body).toEqual(out.body);
    await admin.get('/api/consent/2025550161').expect(200, out.body);

    const back = await admin
      .post({
        phone_number: '+12025550161',
        state: 'opted_in',
        reason: 'verbal consent on call conv_124',
        conversation_id: 'conv_124',
      })
      .expect(201);
    expect(back.body).toMatchObject({ opted_out: false, state: 'opted_in', actor: 'ops' });
    expect(back.body.audit_seq).toBeGreaterThan(out.body.audit_seq);

    const event = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ seq: back.body.audit_seq });
    expect(event).toMatchObject({
      action: 'consent.changed',
      actor: 'ops',
      conversationId: 'conv_124',
      recipientMasked: '***-***-0161',
    });
    expect(JSON.parse(event.details ?? '{}')).toMatchObject({
      state: 'opted_in',
      source: 'api',
      reason: 'verbal consent on call conv_124',
    });
  });

  it('lists consent changes newest first, filtered and paginated', async () => {
    const number = '+12025550162';
    for (const [state, reason] of [
      ['opted_out', 'asked on call conv_a'],
      ['opted_in', 'verbal consent on call conv_b'],
      ['opted_out', 'asked again on call conv_c'],
    ]) {
      await admin.post({ phone_number: number, state, reason }).expect(201);
    }

    const all = await admin
      .get(`/api/consent/changes?phone_number=${encodeURIComponent(number)}`)
      .expect(200);
    expect(all.body.next_cursor).toBeNull();
    expect(all.body.changes.map((c: { reason: string }) => c.reason)).toEqual([
      'asked again on call conv_c',
      'verbal consent on call conv_b',
      'asked on call conv_a',
    ]);
    expect(all.body.changes[0]).toMatchObject({
      phone_number: '***-***-0162',
      state: 'opted_out',
      previous_state: 'opted_in',
      source: 'api',
      actor: 'ops',
    });
    expect(JSON.stringify(all.body)).not.toContain('5550162');

    const outs = await admin
      .get(`/api/consent/changes?phone_number=${encodeURIComponent(number)}&state=opted_out`)
      .expect(200);
    expect(outs.body.changes).toHaveLength(2);

    const first = await admin
      .get(`/api/consent/changes?phone_number=${encodeURIComponent(number)}&limit=2`)
      .expect(200);
    expect(first.body.changes).toHaveLength(2);
    const second = await admin
      .get(
        `/api/consent/changes?phone_number=${encodeURIComponent(number)}&limit=2&cursor=${first.body.next_cursor}`,
      )
      .expect(200);
    expect(second.body).toMatchObject({ next_cursor: null, changes: [all.body.changes[2]] });

    const byActor = await admin.get('/api/consent/changes?actor=ops&source=api').expect(200);
    expect(byActor.body.changes.length).toBeGreaterThanOrEqual(3);
    const fromTwilio = await admin.get('/api/consent/changes?source=twilio_21610').expect(200);
    expect(fromTwilio.body.changes).toEqual([]);
  });

  it.each([
    ['no reason', { phone_number: '+12025550163', state: 'opted_out' }, 'reason'],
    ['an empty reason', { phone_number: '+12025550163', state: 'opted_out', reason: '' }, 'reason'],
    [
      'a phone number in the reason',
      { phone_number: '+12025550163', state: 'opted_out', reason: 'asked by +12025550199' },
      'reason',
    ],
    [
      'a national number in the reason',
      { phone_number: '+12025550163', state: 'opted_out', reason: 'call back at (202) 555-0191' },
      'reason',
    ],
    [
      'a dotted number in the reason',
      { phone_number: '+12025550163', state: 'opted_out', reason: 'wife 202.555.0191 asked' },
      'reason',
    ],
    [
      'a full-width number in the reason',
      { phone_number: '+12025550163', state: 'opted_out', reason: 'ｔｅｌ ２０２５５５０１９１' },
      'reason',
    ],
    ['an unknown state', { phone_number: '+12025550163', state: 'maybe', reason: 'why' }, 'state'],
    [
      'an unknown field',
      { phone_number: '+12025550163', state: 'opted_out', reason: 'why', source: 'keyword' },
      'source',
    ],
  ])('refuses a record with %s (400)', async (_case, body, field) => {
    const res = await admin.post(body).expect(400);
    expect(res.body).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(res.body.error.details)).toContain(field);
    await expect(app.get(ConsentService).isOptedOut('+12025550163')).resolves.toBe(false);
    const events = await app.get(DataSource).getRepository(AuditEventEntity).find();
    expect(recordedText(events)).not.toMatch(/0191|0199|\uFF10\uFF11\uFF19\uFF11/);
  });

  it('keeps a reason that holds a date, which is not a number', async () => {
    const reason = 'verbal consent on 2026-03-02 at 10:30, call conv_125';
    const res = await admin
      .post({ phone_number: '+12025550164', state: 'opted_in', reason })
      .expect(201);
    expect(res.body.reason).toBe(reason);
  });

  it('refuses a number it cannot read (400 INVALID_PHONE_NUMBER)', async () => {
    const res = await admin.get('/api/consent/not-a-number').expect(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_PHONE_NUMBER' } });
    await admin
      .post({ phone_number: '12', state: 'opted_out', reason: 'asked to stop' })
      .expect(400);
  });

  it('refuses bad list filters and a forged cursor (400)', async () => {
    await admin.get('/api/consent/changes?state=maybe').expect(400);
    await admin.get('/api/consent/changes?limit=0').expect(400);
    await admin.get('/api/consent/changes?from=yesterday').expect(400);
    const forged = Buffer.from('not-a-cursor').toString('base64url');
    const res = await admin.get(`/api/consent/changes?cursor=${forged}`).expect(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('documents the endpoints and their errors in the OpenAPI document', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/consent',
        '/api/consent/changes',
        '/api/consent/{phone_number}',
        '/api/twilio/inbound',
      ]),
    );
    expect(Object.keys(doc.paths['/api/consent'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403']),
    );
  });
});
