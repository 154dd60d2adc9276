import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

describe('send_sms (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends through the sandbox', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/sms/send')
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .send({ phone_number: '+12025550143', message: 'Hello' })
      .expect(201);
    expect(res.body).toMatchObject({ success: true, status: 'sent', to: '***-***-0143' });
  });
});
