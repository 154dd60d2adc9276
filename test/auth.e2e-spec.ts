import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestApp } from './support/test-app.js';

const SEND_ONLY = 'send-only-key-aaaaaaaaaaaaaaaaaaaa';
const READ_ONLY = 'read-only-key-bbbbbbbbbbbbbbbbbbbb';
const ROTATED_OLD = 'rotated-old-key-cccccccccccccccccc';
const ROTATED_NEW = 'rotated-new-key-dddddddddddddddddd';
const HASHED = 'hashed-key-eeeeeeeeeeeeeeeeeeeeeeee';
const VAPI_ONLY = 'vapi-only-key-ffffffffffffffffffffff';
const BLAND = 'bland-key-gggggggggggggggggggggggggg';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const AUDITOR = 'auditor-key-hhhhhhhhhhhhhhhhhhhhhhhhh';
const SEND = { phone_number: '+12025550143', message: 'Hello from the clinic' };

describe('API-key authentication (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        API_KEYS: [
          `agent:${SEND_ONLY}`,
          `dashboard:${READ_ONLY}:sms.read`,
          `voice:${ROTATED_OLD}:sms.send`,
          `voice:${ROTATED_NEW}:sms.send`,
          `vault:sha256=${sha256(HASHED)}:sms.send+sms.read`,
          `vapi-agent:${VAPI_ONLY}:sms.send+sms.read:vapi`,
          `bland-agent:${BLAND}:sms.send:bland`,
          `auditor:${AUDITOR}:audit.read`,
        ].join(','),
      },
    });
  });
  afterAll(async () => {
    await app.close();
  });
  const http = () => request(app.getHttpServer());

  it('refuses a send without a key with 401 in the error contract', async () => {
    const res = await http().post('/api/sms/send').send(SEND).expect(401);
    expect(res.body).toMatchObject({
      success: false,
      error: { code: 'UNAUTHORIZED', retryable: false },
      agent_message: expect.any(String),
      request_id: expect.any(String),
    });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses a wrong key without echoing it', async () => {
    const wrong = 'wrong-key-zzzzzzzzzzzzzzzzzzzzzzzzz';
    const res = await http().post('/api/sms/send').set('X-API-Key', wrong).send(SEND).expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(JSON.stringify(res.body)).not.toContain(wrong);
    expect(JSON.stringify(res.headers)).not.toContain(wrong);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    await http()
      .post('/api/sms/send')
      .set('Authorization', `Basic ${SEND_ONLY}`)
      .send(SEND)
      .expect(401);
  });

  it('refuses two different keys in one request', async () => {
    await http()
      .post('/api/sms/send')
      .set('Authorization', `Bearer ${SEND_ONLY}`)
      .set('X-API-Key', READ_ONLY)
      .send(SEND)
      .expect(401);
  });

  it('accepts the key as a bearer token or in X-API-Key', async () => {
    await http()
      .post('/api/sms/send')
      .set('Authorization', `Bearer ${SEND_ONLY}`)
      .send(SEND)
      .expect(201);
    await http().post('/api/sms/send').set('X-API-Key', SEND_ONLY).send(SEND).expect(201);
  });

  it('gives an entry without scopes sms.send only: reading is 403', async () => {
    const sent = await http()
      .post('/api/sms/send')
      .set('X-API-Key', SEND_ONLY)
      .send(SEND)
      .expect(201);
    const res = await http()
      .get(`/api/sms/messages/${sent.body.message_id}`)
      .set('X-API-Key', SEND_ONLY)
      .expect(403);
    expect(res.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    expect(res.body.error.message).toContain('sms.read');
  });

  it('refuses a send with a read-only key with 403, and lets it read', async () => {
    const res = await http()
      .post('/api/sms/send')
      .set('X-API-Key', READ_ONLY)
      .send(SEND)
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    await http().get('/api/sandbox/outbox').set('X-API-Key', READ_ONLY).expect(200);
  });

  it('accepts both keys of a name during rotation', async () => {
    await http().post('/api/sms/send').set('X-API-Key', ROTATED_OLD).send(SEND).expect(201);
    await http().post('/api/sms/send').set('X-API-Key', ROTATED_NEW).send(SEND).expect(201);
  });

  it('accepts a key configured only as its sha256', async () => {
    await http().post('/api/sms/send').set('X-API-Key', HASHED).send(SEND).expect(201);
  });

  it('records the key name on the message', async () => {
    const sent = await http().post('/api/sms/send').set('X-API-Key', HASHED).send(SEND).expect(201);
    const row = await http()
      .get(`/api/sms/messages/${sent.body.message_id}`)
      .set('X-API-Key', HASHED)
      .expect(200);
    expect(row.body.api_key_name).toBe('vault');
  });

  it('refuses a key bound to another platform at the REST tools with 403, and sends nothing', async () => {
    const before = await http().get('/api/sandbox/outbox').set('X-API-Key', READ_ONLY).expect(200);
    const res = await http()
      .post('/api/sms/send')
      .set('X-API-Key', VAPI_ONLY)
      .send(SEND)
      .expect(403);
    expect(res.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    expect(res.body.error.message).toContain('vapi');
    const after = await http().get('/api/sandbox/outbox').set('X-API-Key', READ_ONLY).expect(200);
    expect(after.body).toEqual(before.body);
    // A bound key still reads: the binding is about ways in, not about the admin API.
    await http().get('/api/sandbox/outbox').set('X-API-Key', VAPI_ONLY).expect(200);
  });

  it('records a key bound to Bland as the platform bland in the audit log', async () => {
    const sent = await http().post('/api/sms/send').set('X-API-Key', BLAND).send(SEND).expect(201);
    const audit = await http()
      .get('/api/audit/events')
      .query({ message_id: sent.body.message_id })
      .set('X-API-Key', AUDITOR)
      .expect(200);
    const platforms = audit.body.events.map(
      (e: { details?: { platform?: string } }) => e.details?.platform,
    );
    expect(platforms).toContain('bland');
  });

  it('validates nothing before authenticating: a bad body without a key is 401, not 400', async () => {
    await http().post('/api/sms/send').send({ nonsense: true }).expect(401);
  });
});

describe('API_KEYS platform bindings at boot (e2e)', () => {
  it('refuses to boot with a key bound to a platform no way in is registered as', async () => {
    await expect(
      createTestApp({ env: { API_KEYS: `agent:${SEND_ONLY}:sms.send:vapi+skype` } }),
    ).rejects.toThrow(
      'Invalid configuration: API_KEYS entry 1 ("agent") has unknown platforms skype (known: rest, elevenlabs, mcp, bland, vapi, retell)',
    );
  });
});
