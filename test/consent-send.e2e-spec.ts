import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ConsentService } from '../src/consent/consent.service.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const PATIENT = '+12025550143';

describe('consent on the send path (e2e, Twilio stub)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  let consent: ConsentService;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: {
        ...twilioStubEnv(stub),
      },
    });
    consent = app.get(ConsentService);
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  let n = 0;
  const send = (phone = PATIENT) =>
    request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, message: `Consent check ${++n}` });

  it('refuses an opted-out number before any Twilio call, and sends again after START', async () => {
    await consent.record(PATIENT, {
      state: 'opted_out',
      source: 'keyword',
      keyword: 'STOP',
      actor: 'twilio',
    });
    const res = await send().expect(422);
    expect(res.body).toMatchObject({ error: { code: 'RECIPIENT_OPTED_OUT' } });
    expect(res.body.agent_message).toMatch(/by phone/);
    expect(stub.creates).toBe(0);

    await consent.record(PATIENT, {
      state: 'opted_in',
      source: 'keyword',
      keyword: 'START',
      actor: 'twilio',
    });
    await send().expect(201);
    expect(stub.creates).toBe(1);
  });

  it('marks a number opted out when Twilio answers 21610, so the next send never reaches Twilio', async () => {
    const other = '+12025550177';
    stub.respondWith({ type: 'error', status: 400, code: 21610 });
    await send(other).expect(422);
    expect(stub.creates).toBe(1);
    expect(await consent.isOptedOut(other)).toBe(true);

    stub.respondWith({ type: 'message' });
    const again = await send(other).expect(422);
    expect(again.body.error.code).toBe('RECIPIENT_OPTED_OUT');
    expect(stub.creates).toBe(1);
    expect((await consent.lookup(other))?.source).toBe('twilio_21610');
  });
});
