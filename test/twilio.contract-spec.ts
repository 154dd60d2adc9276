import { Logger, type INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { parsePhoneNumber } from 'libphonenumber-js/max';
import request from 'supertest';
import { ErrorCode } from '../src/common/errors/error-codes.js';
import type { TwilioConfig } from '../src/providers/twilio/twilio.config.js';
import type { OutboundSms } from '../src/providers/sms-provider.js';
import { ProviderError } from '../src/providers/provider-error.js';
import { TwilioProvider } from '../src/providers/twilio/twilio.provider.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';
import { startTwilioStub, type StubAnswer, type TwilioStub } from './support/twilio-stub.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'contract-test-auth-token';
const FROM_NUMBER = '+12025550100';
const MESSAGING_SERVICE_SID = `MG${'fedcba9876543210'.repeat(2)}`;
const CREATE_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const STATUS_CALLBACK = 'https://gateway.example.com/api/twilio/status';
/** Assigned (valid) US number: the Twilio transport refuses unassigned ones before sending. */
const PATIENT = '+12025550143';
/** Possible but unassigned (area code 555). */
const UNASSIGNED = '+15551234567';

function configFor(baseUrl: string, overrides: Partial<TwilioConfig> = {}): TwilioConfig {
  return {
    enabled: true,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    fromNumber: FROM_NUMBER,
    messagingServiceSid: undefined,
    apiBaseUrl: baseUrl,
    statusCallbackUrl: undefined,
    timeoutMs: 3000,
    ...overrides,
  };
}

function outbound(overrides: Partial<OutboundSms> = {}): OutboundSms {
  return { messageId: randomUUID(), to: PATIENT, body: 'Your card is ready.', ...overrides };
}

async function sendExpectingFailure(
  service: TwilioProvider,
  sms = outbound(),
): Promise<ProviderError> {
  const error: unknown = await service.send(sms).then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

function basicAuth(header: string | undefined): { user: string; password: string } {
  expect(header).toMatch(/^Basic /);
  const [user, password] = Buffer.from((header ?? '').slice('Basic '.length), 'base64')
    .toString('utf8')
    .split(':');
  return { user, password };
}

describe('TwilioProvider against the Twilio API stub (contract)', () => {
  let stub: TwilioStub;

  beforeAll(async () => {
    // The service warns on every refusal, and refusals are what most of these tests provoke.
    Logger.overrideLogger(false);
    stub = await startTwilioStub();
  });
  afterAll(async () => {
    await stub?.close();
  });
  beforeEach(() => {
    stub.reset();
  });

  describe('a successful create', () => {
    it('posts the form Twilio documents, from the configured number, with basic auth', async () => {
      // Characters that form encoding must carry through untouched.
      const body = 'Hi Jane, your card: https://copay.example.com/c?a=1&b=2 ¡listo! 💊\nReply STOP';
      const service = new TwilioProvider(
        configFor(stub.baseUrl, { statusCallbackUrl: STATUS_CALLBACK }),
      );
      const sms = outbound({ body });

      const receipt = await service.send(sms);

      expect(stub.requests).toHaveLength(1);
      const [sent] = stub.requests;
      expect(sent.method).toBe('POST');
      expect(sent.path).toBe(CREATE_PATH);
      expect(sent.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(basicAuth(sent.headers.authorization)).toEqual({
        user: ACCOUNT_SID,
        password: AUTH_TOKEN,
      });
      expect(sent.form).toEqual({
        To: PATIENT,
        From: FROM_NUMBER,
        Body: body,
        StatusCallback: `${STATUS_CALLBACK}?message_id=${sms.messageId}`,
      });
      expect(sent.response?.status).toBe(201);
      expect(receipt).toEqual({ providerSid: sent.response?.body.sid, status: 'queued' });
      expect(receipt.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
    });

    it('sends no StatusCallback when the service has no public URL', async () => {
      const service = new TwilioProvider(configFor(stub.baseUrl));

      await service.send(outbound({ body: 'No callback' }));

      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0].form).toEqual({
        To: PATIENT,
        From: FROM_NUMBER,
        Body: 'No callback',
      });
    });

    it('sends MessagingServiceSid and no From when a messaging service is configured', async () => {
      const sid = `SM${'abcdef0123456789'.repeat(2)}`;
      // Twilio answers "accepted" when a messaging service picks the sender later.
      stub.respondWith({ type: 'message', sid, status: 'accepted' });
      const service = new TwilioProvider(
        configFor(stub.baseUrl, {
          messagingServiceSid: MESSAGING_SERVICE_SID,
          statusCallbackUrl: STATUS_CALLBACK,
        }),
      );
      const sms = outbound({ body: 'Via the service' });

      const receipt = await service.send(sms);

      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0].form).toEqual({
        To: PATIENT,
        MessagingServiceSid: MESSAGING_SERVICE_SID,
        Body: 'Via the service',
        StatusCallback: `${STATUS_CALLBACK}?message_id=${sms.messageId}`,
      });
      expect(receipt).toEqual({ providerSid: sid, status: 'accepted' });
    });
  });

  describe('Twilio error answers', () => {
    it.each<{
      name: string;
      answer: Extract<StubAnswer, { type: 'error' }>;
      code: ErrorCode;
      outcome: 'failed' | 'unknown';
      status: number;
      retryable: boolean;
      providerCode: number;
    }>([
      {
        name: 'HTTP 400 with code 21211',
        answer: { type: 'error', status: 400, code: 21211 },
        code: ErrorCode.INVALID_PHONE_NUMBER,
        outcome: 'failed',
        status: 400,
        retryable: false,
        providerCode: 21211,
      },
      {
        name: 'HTTP 400 with code 21610',
        answer: { type: 'error', status: 400, code: 21610 },
        code: ErrorCode.RECIPIENT_OPTED_OUT,
        outcome: 'failed',
        status: 422,
        retryable: false,
        providerCode: 21610,
      },
      {
        name: 'HTTP 400 with code 21614',
        answer: { type: 'error', status: 400, code: 21614 },
        code: ErrorCode.RECIPIENT_NOT_MOBILE,
        outcome: 'failed',
        status: 422,
        retryable: false,
        providerCode: 21614,
      },
      {
        name: 'HTTP 401 with code 20003',
        answer: { type: 'error', status: 401, code: 20003 },
        code: ErrorCode.PROVIDER_AUTH_FAILED,
        outcome: 'failed',
        status: 502,
        retryable: false,
        providerCode: 20003,
      },
      // The SDK retries 429s when autoRetry is on; exactly one request proves it is off.
      {
        name: 'HTTP 429 with code 20429',
        answer: { type: 'error', status: 429, code: 20429 },
        code: ErrorCode.PROVIDER_RATE_LIMITED,
        outcome: 'failed',
        status: 503,
        retryable: true,
        providerCode: 20429,
      },
      {
        name: 'HTTP 429 without a code',
        answer: { type: 'error', status: 429 },
        code: ErrorCode.PROVIDER_RATE_LIMITED,
        outcome: 'failed',
        status: 503,
        retryable: true,
        providerCode: 20429,
      },
      {
        name: 'HTTP 500 with code 20500',
        answer: { type: 'error', status: 500, code: 20500 },
        code: ErrorCode.DELIVERY_UNKNOWN,
        outcome: 'unknown',
        status: 502,
        retryable: false,
        providerCode: 20500,
      },
    ])(
      '$name becomes $code ($outcome), after exactly one request',
      async ({ name: _name, answer, ...expected }) => {
        stub.respondWith(answer);
        const service = new TwilioProvider(configFor(stub.baseUrl));

        const error = await sendExpectingFailure(service);

        expect(error).toMatchObject(expected);
        expect(stub.creates).toBe(1);
      },
    );
  });

  describe('network failures', () => {
    it('a connection reset after Twilio read the request is an unknown outcome, not resent', async () => {
      stub.respondWith({ type: 'destroy-socket' });
      const service = new TwilioProvider(configFor(stub.baseUrl));

      const error = await sendExpectingFailure(service);

      expect(error).toMatchObject({ code: ErrorCode.DELIVERY_UNKNOWN, outcome: 'unknown' });
      expect(stub.creates).toBe(1);
      expect(stub.requests[0].form.To).toBe(PATIENT);
    });

    it('a refused connection certainly sent nothing: PROVIDER_UNAVAILABLE, failed', async () => {
      const closed = await startTwilioStub();
      await closed.close();
      const service = new TwilioProvider(configFor(closed.baseUrl));

      const error = await sendExpectingFailure(service);

      expect(error).toMatchObject({
        code: ErrorCode.PROVIDER_UNAVAILABLE,
        outcome: 'failed',
        retryable: true,
      });
      expect(closed.requests).toHaveLength(0);
    });

    it('a Twilio slower than timeoutMs is given up on as an unknown outcome, not resent', async () => {
      stub.respondWith({ type: 'message', delayMs: 1500 });
      const service = new TwilioProvider(configFor(stub.baseUrl, { timeoutMs: 500 }));
      // The stub would answer 201 after 1.5 s: an unknown outcome proves the client gave up first.
      const error = await sendExpectingFailure(service);

      expect(error).toMatchObject({ code: ErrorCode.DELIVERY_UNKNOWN, outcome: 'unknown' });
      expect(stub.creates).toBe(1);
    });
  });
});

describe('the whole app sending through the Twilio API stub (contract)', () => {
  let stub: TwilioStub;
  let app: INestApplication;

  const sendCopayCard = (phoneNumber: string) =>
    request(app.getHttpServer())
      .post('/api/sms/send-copay-card')
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .send({
        phone_number: phoneNumber,
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
      });

  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PHONE_NUMBER: FROM_NUMBER,
        TWILIO_API_BASE_URL: stub.baseUrl,
        PUBLIC_BASE_URL: 'https://gateway.example.com',
        // Each case sends the same card; the duplicate window is exercised elsewhere.
        DEDUPE_WINDOW: '0',
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });
  beforeEach(() => {
    stub.reset();
  });

  it('uses numbers that are what they claim to be', () => {
    expect(parsePhoneNumber(PATIENT).isValid()).toBe(true);
    expect(parsePhoneNumber(UNASSIGNED).isPossible()).toBe(true);
    expect(parsePhoneNumber(UNASSIGNED).isValid()).toBe(false);
  });

  it('sends the rendered copay card through Twilio and records the provider sid', async () => {
    const res = await sendCopayCard(PATIENT).expect(201);

    expect(stub.creates).toBe(1);
    const [sent] = stub.requests;
    expect(sent.form).toEqual({
      To: PATIENT,
      From: FROM_NUMBER,
      Body: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
      StatusCallback: `${STATUS_CALLBACK}?message_id=${res.body.message_id}`,
    });
    expect(res.body).toMatchObject({
      success: true,
      status: 'queued',
      provider_sid: sent.response?.body.sid,
      to: '***-***-0143',
    });
    expect(res.body.provider_sid).toMatch(/^SM[0-9a-f]{32}$/);

    const row = await request(app.getHttpServer())
      .get(`/api/sms/messages/${res.body.message_id}`)
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .expect(200);
    expect(row.body).toMatchObject({ status: 'queued', provider_sid: res.body.provider_sid });
  });

  it('refuses an unassigned number with INVALID_PHONE_NUMBER before calling Twilio', async () => {
    const res = await sendCopayCard(UNASSIGNED).expect(400);

    expect(res.body.success).toBe(false);
    expect(res.body.error.code).toBe(ErrorCode.INVALID_PHONE_NUMBER);
    expect(stub.requests).toHaveLength(0);
  });

  it("turns Twilio's 21610 (opted out) into 422 RECIPIENT_OPTED_OUT in the error contract", async () => {
    stub.respondWith({ type: 'error', status: 400, code: 21610 });

    const res = await sendCopayCard(PATIENT).expect(422);

    expect(Object.keys(res.body).sort()).toEqual([
      'agent_message',
      'error',
      'request_id',
      'success',
    ]);
    expect(res.body).toMatchObject({
      success: false,
      error: { code: ErrorCode.RECIPIENT_OPTED_OUT, retryable: false },
      agent_message: expect.stringContaining('opted out'),
      request_id: res.headers['x-request-id'],
    });
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(stub.creates).toBe(1);
    const nationalDigits = PATIENT.slice(2);
    expect(res.text).not.toContain(nationalDigits);
    expect(JSON.stringify(res.headers)).not.toContain(nationalDigits);
  });
});
