import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

describe('first-text footer (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { FIRST_TEXT_FOOTER: 'Reply STOP to opt out.' } });
  });
  afterAll(() => app.close());
  const send = (message: string, phone = '+12025550143') =>
    request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, message });
  const lastBody = () => app.get<SandboxProvider>(SMS_PROVIDER).recent()[0].body;

  it('adds the footer to the first text a number gets, and only to that one', async () => {
    await send('Welcome to the clinic texts.').expect(201);
    expect(lastBody()).toBe('Welcome to the clinic texts.\nReply STOP to opt out.');
    await send('Your refill is ready.').expect(201);
    expect(lastBody()).toBe('Your refill is ready.');
    await send('Welcome to the clinic texts.', '+12025550144').expect(201);
    expect(lastBody()).toMatch(/Reply STOP to opt out\.$/);
  });

  it('still recognises a repeat of the first text as a duplicate', async () => {
    const again = await send('Welcome to the clinic texts.').expect(201);
    expect(again.body.duplicate).toBe(true);
  });
});
