import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import type { AuditEventDto } from '../src/audit/dto/audit-event.dto.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import { expectErrorContract } from './support/error-contract.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp } from './support/test-app.js';
import { askStatus } from './support/status-tool.js';
import { listenOnLoopback } from './support/voice-platforms.js';

const CLINIC_A = 'clinic-a-key-0123456789abcdefghij';
const CLINIC_B = 'clinic-b-key-0123456789abcdefghij';
const OPS = 'ops-read-all-key-0123456789abcdefg';
const AUDITOR = 'auditor-key-0123456789abcdefghijk';
const VAPI_SECRET = 'vapi-server-secret-0123456789';
const RETELL_API_KEY = 'key_retell_webhook_0123456789abcdef';
const ENV = {
  API_KEYS: [
    `clinic-a:${CLINIC_A}:sms.send+sms.read`,
    `clinic-b:${CLINIC_B}:sms.send+sms.read`,
    `ops:${OPS}:sms.send+sms.read+sms.read_all+admin`,
    `auditor:${AUDITOR}:audit.read`,
  ].join(','),
  VAPI_SERVER_SECRET: VAPI_SECRET,
  RETELL_API_KEY,
  TRUST_PROXY_HOPS: '1',
};

/** The documented recipe (docs/SECURITY.md): SHA-256 of the key's hex SHA-256, 12 digits. */
const fingerprintOf = (key: string) =>
  createHash('sha256')
    .update(createHash('sha256').update(key).digest('hex'))
    .digest('hex')
    .slice(0, 12);

let lines = 0;
const newPatient = () => `+1202555${String(6100 + ++lines)}`;

/**
 * Reads of patient data as an auditor later asks about them: "who looked at this patient?"
 * is GET /api/audit/events?phone_number=..., so each read must be there, under the patient.
 */
function readAuditSpec(env: () => Record<string, string>) {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...ENV, ...env() } });
    base = await listenOnLoopback(app);
  });
  afterAll(() => app?.close());

  const http = () => request(app.getHttpServer());
  const historyOf = async (phone: string): Promise<AuditEventDto[]> =>
    (
      await http()
        .get('/api/audit/events')
        .set('X-API-Key', AUDITOR)
        .query({ phone_number: phone, limit: 500 })
        .expect(200)
    ).body.events;
  const eventsOf = async (requestId: string): Promise<AuditEventDto[]> =>
    (
      await http()
        .get('/api/audit/events')
        .set('X-API-Key', AUDITOR)
        .query({ request_id: requestId })
        .expect(200)
    ).body.events;
  const send = async (key: string, to: string, extra: object = {}) =>
    (
      await http()
        .post('/api/sms/send-copay-card')
        .set('X-API-Key', key)
        .send({
          phone_number: to,
          patient_name: 'Jane Doe',
          copay_url: 'https://copay.example.com/card/abc123',
          ...extra,
        })
        .expect(201)
    ).body as { message_id: string };

  it('records GET /api/sms/messages/{id} under the patient: who, from where, which key', async () => {
    const patient = newPatient();
    const { message_id } = await send(CLINIC_A, patient, {
      conversation_id: 'conv_read_message',
      agent_id: 'agent_read_message',
    });
    const read = await http()
      .get(`/api/sms/messages/${message_id}`)
      .set('X-API-Key', OPS)
      .set('X-Forwarded-For', '198.51.100.7')
      .expect(200);

    const [event] = (await historyOf(patient)).filter(
      (e) => e.request_id === read.headers['x-request-id'],
    );
    expect(event).toMatchObject({
      actor: 'ops',
      action: 'data.read',
      outcome: 'success',
      message_id,
      conversation_id: 'conv_read_message',
      recipient_hash: app.get(RecipientHasher).hash(patient),
      details: {
        resource: 'message',
        route: '/api/sms/messages/:id',
        platform: 'rest',
        client_ip: '198.51.100.7',
        key_fingerprint: fingerprintOf(OPS),
        tool: 'send_copay_card',
        agent_id: 'agent_read_message',
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/copay\.example|Jane|2025556/);
  });

  it.each(['rest', 'vapi', 'retell', 'mcp'])(
    'records the status tool over %s under the patient, with the way in',
    async (platform) => {
      const patient = newPatient();
      const conversation = `5f0c2a1e-0000-4000-8000-${String(lines).padStart(12, '0')}`;
      await send(CLINIC_A, patient, { conversation_id: conversation });

      const answer = await askStatus(base, platform, {
        key: CLINIC_A,
        conversation,
        vapiSecret: VAPI_SECRET,
        retellApiKey: RETELL_API_KEY,
      });
      expect(answer).toContain(patient.slice(-4));

      const reads = (await historyOf(patient)).filter((e) => e.action === 'data.read');
      expect(reads).toEqual([
        expect.objectContaining({
          actor: 'clinic-a',
          conversation_id: conversation,
          details: expect.objectContaining({
            resource: 'text_status',
            tool: 'check_text_status',
            platform,
            count: 1,
            key_fingerprint: fingerprintOf(CLINIC_A),
            client_ip: '127.0.0.1',
          }),
        }),
      ]);
    },
  );

  it('records a consent lookup under the patient, and a list of many patients as one count', async () => {
    const patient = newPatient();
    const lookup = await http()
      .get(`/api/consent/${encodeURIComponent(patient)}`)
      .set('X-API-Key', OPS)
      .expect(200);
    expect((await historyOf(patient)).map((e) => [e.request_id, e.action])).toContainEqual([
      lookup.headers['x-request-id'],
      'data.read',
    ]);

    const list = await http().get('/api/consent/changes').set('X-API-Key', OPS).expect(200);
    const [listed] = await eventsOf(list.headers['x-request-id']);
    expect(listed).toMatchObject({
      actor: 'ops',
      action: 'data.read',
      recipient_hash: null,
      details: { resource: 'consent_changes', count: list.body.changes.length },
    });

    const one = await http()
      .get('/api/consent/changes')
      .query({ phone_number: patient })
      .set('X-API-Key', OPS)
      .expect(200);
    expect((await historyOf(patient)).map((e) => e.request_id)).toContain(
      one.headers['x-request-id'],
    );
  });

  it('records a preview under the patient, with the template, never the text', async () => {
    const patient = newPatient();
    const preview = await http()
      .post('/api/sms/preview')
      .set('X-API-Key', CLINIC_A)
      .send({
        tool: 'send_copay_card',
        phone_number: patient,
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
        language: 'es',
      })
      .expect(200);
    expect(preview.body.text).toContain('Jane');

    const [event] = (await historyOf(patient)).filter(
      (e) => e.request_id === preview.headers['x-request-id'],
    );
    expect(event).toMatchObject({
      actor: 'clinic-a',
      action: 'data.read',
      details: {
        resource: 'preview',
        tool: 'send_copay_card',
        template_language: 'es',
        template_version: expect.stringMatching(/^[0-9a-f]{12}$/),
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/copay\.example|Jane|tarjeta/);
  });

  it('shows a key only its own sandbox texts and refusals, and records the read as a count', async () => {
    const mine = await send(CLINIC_B, newPatient());
    const theirs = await send(CLINIC_A, newPatient());
    const theirRefusal = await http()
      .post('/api/sms/send')
      .set('X-API-Key', CLINIC_A)
      .send({ phone_number: newPatient(), message: 'Pay at https://evil.example.net/x' })
      .expect(422);
    const outboxOf = (key: string) => http().get('/api/sandbox/outbox').set('X-API-Key', key);

    const own = await outboxOf(CLINIC_B).expect(200);
    const ids = own.body.map((e: { message_id?: string }) => e.message_id);
    expect(ids).toContain(mine.message_id);
    expect(ids).not.toContain(theirs.message_id);
    expect(JSON.stringify(own.body)).not.toContain(theirRefusal.body.request_id);

    const all = (await outboxOf(OPS).expect(200)).body as Array<{ message_id?: string }>;
    expect(all.map((e) => e.message_id)).toEqual(
      expect.arrayContaining([mine.message_id, theirs.message_id]),
    );
    expect(JSON.stringify(all)).toContain(theirRefusal.body.request_id);

    const [read] = await eventsOf(own.headers['x-request-id']);
    expect(read).toMatchObject({
      actor: 'clinic-b',
      action: 'data.read',
      recipient_hash: null,
      details: { resource: 'sandbox_outbox', count: own.body.length },
    });
  });

  it("lists an audit lookup by phone number in that patient's history", async () => {
    const patient = newPatient();
    const earlier = await http()
      .get('/api/audit/events')
      .query({ phone_number: patient })
      .set('X-API-Key', AUDITOR)
      .expect(200);

    const [lookup] = (await historyOf(patient)).filter(
      (e) => e.request_id === earlier.headers['x-request-id'],
    );
    expect(lookup).toMatchObject({
      actor: 'auditor',
      action: 'audit.read',
      recipient_hash: app.get(RecipientHasher).hash(patient),
      details: { resource: 'audit_events', endpoint: 'events', platform: 'rest' },
    });
  });

  it('refuses a read it cannot record (503), answering no patient data', async () => {
    const { message_id } = await send(CLINIC_A, newPatient());
    const audit = app.get(AuditLogService);
    const append = audit.append.bind(audit);
    const outage = jest
      .spyOn(audit, 'append')
      .mockImplementation((event, manager) =>
        event.action === 'data.read'
          ? Promise.reject(new Error('disk full'))
          : append(event, manager),
      );
    try {
      const res = await http().get(`/api/sms/messages/${message_id}`).set('X-API-Key', CLINIC_A);
      expect(res.status).toBe(503);
      expectErrorContract(res.body, 'AUDIT_WRITE_FAILED');
      expect(JSON.stringify(res.body)).not.toMatch(/send_copay_card|\*\*\*/);
    } finally {
      outage.mockRestore();
    }
  });
}

describe('reads of patient data are audited (e2e, SQLite)', () => {
  readAuditSpec(() => ({}));
});

describeWithPostgres('reads of patient data are audited (e2e, PostgreSQL)', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('audit_reads');
  });
  afterAll(() => db.drop());
  // Nested, so the app closes before its database is dropped.
  describe('on a scratch database', () => {
    readAuditSpec(() => ({ DATABASE_URL: db.url }));
  });
});
