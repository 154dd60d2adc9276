import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MessageEntity } from '../src/messages/message.entity.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const US = '+12025550143';

describe('recipient and link policy (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ALLOWED_COUNTRIES: 'US',
        LINK_ALLOWED_HOSTS: 'copay.example.com,portal.example-health.org',
        RECIPIENT_DENY_LIST: '(202) 555-0199',
      },
    });
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const sms = (body: object) => post('/api/sms/send', body);
  const count = () => app.get(DataSource).getRepository(MessageEntity).count();

  describe('recipients', () => {
    it('refuses a Canadian number when only US is allowed', async () => {
      const res = await sms({ phone_number: '+14165550123', message: 'Hello' }).expect(422);
      expect(res.body.error).toMatchObject({ code: 'COUNTRY_NOT_ALLOWED' });
      expect(res.body.error.message).toContain('CA');
    });

    it('refuses a UK number', async () => {
      const res = await sms({ phone_number: '+447700900123', message: 'Hello' }).expect(422);
      expect(res.body.error.code).toBe('COUNTRY_NOT_ALLOWED');
    });

    it('refuses a premium-rate number', async () => {
      const res = await sms({ phone_number: '+19005550123', message: 'Hello' }).expect(422);
      expect(res.body.error).toMatchObject({
        code: 'RECIPIENT_NOT_ALLOWED',
        details: { number_type: 'PREMIUM_RATE' },
      });
    });

    it('refuses a toll-free number', async () => {
      const res = await sms({ phone_number: '+18005550123', message: 'Hello' }).expect(422);
      expect(res.body.error.code).toBe('RECIPIENT_NOT_ALLOWED');
    });

    it('refuses a number on the deny list, however it is written', async () => {
      const res = await sms({ phone_number: '+1 202-555-0199', message: 'Hello' }).expect(422);
      expect(res.body.error.code).toBe('RECIPIENT_NOT_ALLOWED');
    });

    it('stores nothing for a refused recipient', async () => {
      const before = await count();
      await sms({ phone_number: '+14165550123', message: 'Hello' }).expect(422);
      expect(await count()).toBe(before);
    });
  });

  describe('links', () => {
    it.each([
      ['a bit.ly link', 'Your card: https://bit.ly/3xYzAbc'],
      ['a bare shortener domain', 'Your card: bit.ly/3xYzAbc'],
      ['a bare domain', 'Go to evil-pharmacy.com to pay'],
      ['a www name', 'See www.evil.com today'],
      ['http on an allowed host', 'Card: http://copay.example.com/card/1'],
      ['a Cyrillic lookalike host', 'Card: https://cоpay.example.com/card/1'],
      ['a full-width lookalike domain', 'Card: ｅｖｉｌ.com/card'],
      ['an ideographic dot', 'Card: evil。com/card'],
      ['an allowed host as user name', 'Card: https://copay.example.com@evil.com/x'],
      ['a subdomain of an allowed host', 'Card: https://copay.example.com.evil.com/x'],
      ['an explicit port', 'Card: https://copay.example.com:8443/x'],
    ])('refuses %s in send_sms text', async (_, message) => {
      const res = await sms({ phone_number: US, message }).expect(422);
      expect(res.body).toMatchObject({ success: false, error: { code: 'LINK_NOT_ALLOWED' } });
      expect(res.body.agent_message).toMatch(/approved websites/);
    });

    it.each([
      ['an allowed https link', 'Your card: https://copay.example.com/card/1.'],
      ['an allowed host in upper case', 'Your card: HTTPS://COPAY.EXAMPLE.COM/card/1'],
      ['a second allowed host', 'Portal: https://portal.example-health.org/login'],
      ['an email address', 'Questions? Write to help@example-health.org'],
      ['dotted abbreviations', 'Take 10.5 mg at 8 a.m. daily, e.g. with food (U.S. dosing).'],
    ])('accepts %s', async (_, message) => {
      await sms({ phone_number: US, message }).expect(201);
    });

    it('refuses an http:// copay_url', async () => {
      const res = await post('/api/sms/send-copay-card', {
        phone_number: US,
        patient_name: 'Jane Doe',
        copay_url: 'http://copay.example.com/card/1',
      }).expect(422);
      expect(res.body.error.code).toBe('LINK_NOT_ALLOWED');
    });

    it('refuses a copay_url on another host', async () => {
      const res = await post('/api/sms/send-copay-card', {
        phone_number: US,
        patient_name: 'Jane Doe',
        copay_url: 'https://copay-cards.evil.com/card/1',
      }).expect(422);
      expect(res.body.error).toMatchObject({
        code: 'LINK_NOT_ALLOWED',
        details: { host: 'copay-cards.evil.com' },
      });
    });

    it('refuses a link smuggled into another field', async () => {
      const res = await post('/api/sms/send-prescription-reminder', {
        phone_number: US,
        patient_name: 'Jane Doe',
        medication_name: 'evil.com/refill',
      }).expect(422);
      expect(res.body.error.code).toBe('LINK_NOT_ALLOWED');
    });
  });
});

describe('RECIPIENT_POLICY=caller_only (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { RECIPIENT_POLICY: 'caller_only' } });
  });
  afterAll(async () => {
    await app.close();
  });
  const sms = (body: object) =>
    request(app.getHttpServer()).post('/api/sms/send').set('X-API-Key', TEST_API_KEY).send(body);

  it('texts the caller', async () => {
    await sms({ phone_number: '(202) 555-0143', caller_id: '+12025550143', message: 'Hi' }).expect(
      201,
    );
  });

  it('refuses a number other than the caller', async () => {
    const res = await sms({
      phone_number: '+12025550188',
      caller_id: '+12025550143',
      message: 'Hi',
    }).expect(403);
    expect(res.body.error.code).toBe('RECIPIENT_NOT_CALLER');
    expect(res.body.agent_message).toMatch(/calling from/);
  });

  it('refuses when the caller is unknown', async () => {
    const res = await sms({ phone_number: '+12025550143', message: 'Hi' }).expect(403);
    expect(res.body.error.code).toBe('RECIPIENT_NOT_CALLER');
  });
});
