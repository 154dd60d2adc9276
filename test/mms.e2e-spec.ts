import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

describe('MMS attachments (e2e, Twilio stub)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: {
        ...twilioStubEnv(stub),
        ALLOWED_COUNTRIES: 'US,CA,GB',
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  const copay = (extra: object) =>
    request(app.getHttpServer())
      .post('/api/sms/send-copay-card')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        phone_number: '+12025550143',
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
        ...extra,
      });

  it('sends media_url to Twilio as MediaUrl', async () => {
    await copay({ media_url: 'https://copay.example.com/card/abc123.png' }).expect(201);
    expect(stub.requests[0].form.MediaUrl).toBe('https://copay.example.com/card/abc123.png');
  });

  it.each([
    ['an http link', 'http://copay.example.com/card.png'],
    ['another host', 'https://images.evil.example/card.png'],
  ])('refuses %s as media_url before calling Twilio', async (_, mediaUrl) => {
    const res = await copay({ media_url: mediaUrl }).expect(422);
    expect(res.body.error.code).toBe('LINK_NOT_ALLOWED');
    expect(stub.creates).toBe(0);
  });

  // The WHATWG parser reads the host of the first as copay.example.com; Twilio's fetcher may not.
  it.each([
    ['a backslash before an at sign', 'https://copay.example.com\\@evil.com/x.png', 422],
    ['a backslash for a slash', 'https://copay.example.com\\x.png', 400],
    ['a tab inside the host', 'https://copay.exam\tple.com/x.png', 400],
    ['a zero-width space', 'https://copay.example.com\u200b/x.png', 422],
    ['a user name', 'https://copay.example.com@evil.com/x.png', 422],
  ])(
    'refuses a media_url with %s, which another parser could read as another host',
    async (_, mediaUrl, status) => {
      const res = await copay({ media_url: mediaUrl });
      expect([res.status, res.body.error?.code]).toEqual([
        status,
        status === 422 ? 'LINK_NOT_ALLOWED' : 'VALIDATION_FAILED',
      ]);
      expect(stub.creates).toBe(0);
    },
  );

  it('refuses in a preview the media_url a send would refuse', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/sms/preview')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        tool: 'send_copay_card',
        phone_number: '+12025550143',
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
        media_url: 'https://copay.example.com\\@evil.com/x.png',
      });
    expect([res.status, res.body.error?.code]).toEqual([422, 'LINK_NOT_ALLOWED']);
  });

  it('gives Twilio the address it checked, not the string as written', async () => {
    await copay({ media_url: 'https://COPAY.Example.com/card/../abc123.png' }).expect(201);
    expect(stub.requests[0].form.MediaUrl).toBe('https://copay.example.com/abc123.png');
  });

  it('refuses MMS to a number outside the US and Canada', async () => {
    const res = await copay({
      phone_number: '+447400123456',
      media_url: 'https://copay.example.com/card/abc123.png',
    }).expect(422);
    expect(res.body.error.code).toBe('MMS_NOT_SUPPORTED');
    expect(stub.creates).toBe(0);
  });
});
