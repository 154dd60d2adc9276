import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MessageEntity } from '../src/messages/message.entity.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { exampleRequest, toolFields } from '../src/tools/tool-fields.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

interface ToolCase {
  name: string;
  path: string;
  good: Record<string, unknown>;
  expectedBody: string;
  /** Each entry: a field set to a bad value and the field the error must name. */
  badFields: Array<[field: string, value: unknown]>;
}

const PHONE = '+12025550143';

/** The wording and the bad values of the shipped tools, one entry each. */
const CASES: ToolCase[] = [
  {
    name: 'send_sms',
    path: '/api/sms/send',
    good: { phone_number: PHONE, message: 'Your lab results are ready in the portal.' },
    expectedBody: 'Your lab results are ready in the portal.',
    badFields: [
      ['message', ''],
      ['message', 42],
      ['message', 'x'.repeat(1601)],
      ['patient_name', 'R2-D2 <script>'],
    ],
  },
  {
    name: 'send_copay_card',
    path: '/api/sms/send-copay-card',
    good: {
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      copay_url: 'https://copay.example.com/card/abc123',
    },
    expectedBody: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
    badFields: [
      ['copay_url', 'not a url'],
      ['copay_url', 'ftp://copay.example.com/card'],
      ['patient_name', ''],
      ['patient_name', 'x'.repeat(101)],
    ],
  },
  {
    name: 'send_prescription_reminder',
    path: '/api/sms/send-prescription-reminder',
    good: {
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      medication_name: 'Lisinopril 10 mg',
      refill_date: '2026-12-02',
      pharmacy_name: 'Main Street Pharmacy',
    },
    expectedBody:
      'Hi Jane, this is a reminder to refill your Lisinopril 10 mg by Wednesday, December 2 at Main Street Pharmacy. Reply 1 to request a refill.',
    badFields: [
      ['refill_date', '12/02/2026'],
      ['refill_date', '2026-02-30'],
      ['medication_name', 'Visit http://evil.example'],
      ['pharmacy_name', 7],
    ],
  },
  {
    name: 'send_prior_auth_update',
    path: '/api/sms/send-prior-auth-update',
    good: { phone_number: PHONE, patient_name: 'Jane Doe', status: 'approved' },
    expectedBody:
      'Hi Jane, your prior authorization request has been approved. You can fill your prescription as usual.',
    badFields: [
      ['status', 'maybe'],
      ['status', 'APPROVED'],
      ['patient_name', ['Jane']],
    ],
  },
  {
    name: 'send_appointment_confirmation',
    path: '/api/sms/send-appointment-confirmation',
    good: {
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      appointment_time: '2026-12-02T15:30:00-05:00',
      provider_name: 'Dr. Patel',
      location: 'Main Street Clinic, Suite 200',
    },
    expectedBody:
      'Hi Jane, your appointment with Dr. Patel is confirmed for Wednesday, December 2, 2026 at 3:30 PM at Main Street Clinic, Suite 200. Reply C to confirm or R to reschedule.',
    badFields: [
      ['appointment_time', '2026-12-02T15:30:00'],
      ['appointment_time', 'tomorrow at 3'],
      ['appointment_time', '2026-13-02T15:30:00Z'],
      ['location', 'x'.repeat(201)],
    ],
  },
];

/** Every registered texting tool, with the request its DTO documents (to its own example number). */
const REGISTERED = DEFAULT_TOOLS.map((tool) => ({
  name: tool.name,
  path: `/api/sms/${tool.path}`,
  good: exampleRequest(tool),
  required: toolFields(tool)
    .filter((field) => field.required)
    .map((field) => field.name),
}));

describe('the SMS tools (e2e, sandbox, in-memory SQLite)', () => {
  let app: INestApplication;
  let sandbox: SandboxProvider;
  let db: DataSource;

  beforeAll(async () => {
    app = await createTestApp({ env: { BODY_LIMIT_BYTES: '16384' } });
    sandbox = app.get(SMS_PROVIDER);
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (path: string) =>
    request(app.getHttpServer()).post(path).set('Authorization', `Bearer ${TEST_API_KEY}`);
  const messageCount = () => db.getRepository(MessageEntity).count();

  describe.each(CASES)('$name', (tool) => {
    it('sends a good request and answers for the agent', async () => {
      const res = await post(tool.path).send(tool.good).expect(201);

      expect(res.body).toEqual({
        success: true,
        status: 'sent',
        message_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        provider_sid: expect.stringMatching(/^SB[0-9a-f]{32}$/),
        to: '***-***-0143',
        // The confirmation's full example, with "Reply C to confirm or R to reschedule", is 169 characters.
        segments: tool.path.endsWith('send-appointment-confirmation') ? 2 : 1,
        encoding: 'GSM-7',
        agent_message: expect.stringContaining('the number ending in 0143'),
        sandbox: true,
      });
      expect(JSON.stringify(res.body)).not.toContain('2025550143');
      const [latest] = sandbox.recent();
      expect(latest).toMatchObject({
        messageId: res.body.message_id,
        to: PHONE,
        body: tool.expectedBody,
      });

      const status = await request(app.getHttpServer())
        .get(`/api/sms/messages/${res.body.message_id}`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(status.body).toMatchObject({
        message_id: res.body.message_id,
        tool: tool.name,
        status: 'sent',
      });
      expect(JSON.stringify(status.body)).not.toContain(tool.expectedBody);
    });

    it.each(tool.badFields)(
      'refuses a bad %s (case %#) with a 400 that names the field',
      async (field, value) => {
        const before = await messageCount();
        const res = await post(tool.path)
          .send({ ...tool.good, [field]: value })
          .expect(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(
          field,
        );
        expect(await messageCount()).toBe(before);
      },
    );
  });

  describe.each(REGISTERED)('$name', (tool) => {
    it('sends its documented example', async () => {
      const res = await post(tool.path).send(tool.good).expect(201);

      const digits = String(tool.good.phone_number).slice(-4);
      expect(res.body).toMatchObject({ success: true, status: 'sent', to: `***-***-${digits}` });
      expect(sandbox.recent()[0]).toMatchObject({
        messageId: res.body.message_id,
        to: tool.good.phone_number,
      });
    });

    it.each(tool.required)('refuses a request without %s, naming the field', async (field) => {
      const before = await messageCount();
      const body = { ...tool.good };
      delete body[field];
      const res = await post(tool.path).send(body).expect(400);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_FAILED', retryable: false },
        agent_message: expect.stringContaining(field),
        request_id: expect.any(String),
      });
      expect(await messageCount()).toBe(before);
    });

    it('refuses an unknown field', async () => {
      const res = await post(tool.path)
        .send({ ...tool.good, send_to_everyone: true })
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.error.message).toContain('send_to_everyone');
    });

    it.each([
      ['too short', '123'],
      ['letters', 'call me maybe'],
      ['too long', '+1202555014399999'],
      ['no country code for a non-US format', '+999 1234 5678'],
    ])('refuses an impossible phone number (%s) with INVALID_PHONE_NUMBER', async (_, phone) => {
      const before = await messageCount();
      const res = await post(tool.path)
        .send({ ...tool.good, phone_number: phone })
        .expect(400);
      expect(res.body.error.code).toBe('INVALID_PHONE_NUMBER');
      expect(res.body.error.message).toMatch(/^phone_number /);
      expect(await messageCount()).toBe(before);
    });

    it('refuses a body that is not JSON', async () => {
      const res = await post(tool.path)
        .set('Content-Type', 'text/plain')
        .send('text me')
        .expect(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses malformed JSON', async () => {
      const res = await post(tool.path)
        .set('Content-Type', 'application/json')
        .send('{"phone_number": "+1202')
        .expect(400);
      expect(res.body.error.code).toBe('INVALID_JSON');
      expect(res.body.agent_message).toEqual(expect.any(String));
    });

    it('refuses a body over the size limit with 413', async () => {
      const before = await messageCount();
      const res = await post(tool.path)
        .send({ ...tool.good, padding: 'x'.repeat(17 * 1024) })
        .expect(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await messageCount()).toBe(before);
    });
  });

  it('reads a national number in the default country and stores E.164', async () => {
    const res = await post('/api/sms/send')
      .send({ phone_number: '(202) 555-0143', message: 'Hello' })
      .expect(201);
    const row = await db.getRepository(MessageEntity).findOneByOrFail({ id: res.body.message_id });
    expect(row.recipient).toBe('+12025550143');
    expect(row.bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the setup guide number in the sandbox and says a carrier would refuse it', async () => {
    const res = await post('/api/sms/send')
      .send({ phone_number: '+15551234567', message: 'Test message from your healthcare team!' })
      .expect(201);
    expect(res.body.notice).toMatch(/carrier would refuse/);
  });

  it('strips control characters and reports UCS-2 with segments for emoji', async () => {
    const res = await post('/api/sms/send')
      .send({ phone_number: PHONE, message: `Hi\u0007 there 😀 ${'a'.repeat(70)}` })
      .expect(201);
    expect(res.body).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(sandbox.recent()[0].body).toBe(`Hi there 😀 ${'a'.repeat(70)}`);
  });

  it('answers 404 in the error contract for an unknown message id', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/sms/messages/6f1c2b9e-8a3d-4c5e-9f70-1a2b3c4d5e6f')
      .set('X-API-Key', TEST_API_KEY)
      .expect(404);
    expect(res.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers 400 for a message id that is not a UUID', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/sms/messages/abc')
      .set('X-API-Key', TEST_API_KEY)
      .expect(400);
    expect(res.body.success).toBe(false);
  });
});
