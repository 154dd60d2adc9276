import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { appRoutes, routeName } from './support/app-routes.js';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';

const FORM = 'phone_number=%2B12025550143&message=Hello+from+the+clinic';

/** The same path in other cases: upper, and alternating letters (/aPi/sMs/...). */
function otherCases(path: string): string[] {
  let letters = 0;
  const alternating = path.replace(/[a-z]/g, (c) => (letters++ % 2 === 0 ? c.toUpperCase() : c));
  return [path.toUpperCase(), alternating];
}

describe('JSON only, whatever the case of the path (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());
  const sent = () => app.get<SandboxProvider>(SMS_PROVIDER).recent().length;

  it('does not send a form posted to POST /API/SMS/SEND', async () => {
    const res = await http()
      .post('/API/SMS/SEND')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .type('form')
      .send(FORM);
    expect(res.status).toBe(415);
    expectErrorContract(res.body, 'UNSUPPORTED_MEDIA_TYPE');
    expect(sent()).toBe(0);
  });

  it('refuses a form on every route that takes a body, in any case, except Twilio webhooks', async () => {
    const bodyRoutes = appRoutes(app).filter(
      (r) => ['post', 'put', 'patch'].includes(r.method) && !r.template.startsWith('/api/twilio/'),
    );
    expect(bodyRoutes.map(routeName)).toEqual(expect.arrayContaining(['POST /api/sms/send']));
    const accepted: string[] = [];
    for (const route of bodyRoutes) {
      for (const path of [route.path, ...otherCases(route.path)]) {
        const server = request(app.getHttpServer());
        const res = await server[route.method as 'post'](path)
          .set('X-API-Key', TEST_ADMIN_KEY)
          .type('form')
          .send(FORM);
        if (res.status !== 415 || res.body?.error?.code !== 'UNSUPPORTED_MEDIA_TYPE') {
          accepted.push(`${route.method.toUpperCase()} ${path}: ${res.status}`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(sent()).toBe(0);
  });

  it('routes only the documented spelling: JSON to /API/SMS/SEND is 404 and sends nothing', async () => {
    const res = await http()
      .post('/API/SMS/SEND')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({ phone_number: '+12025550143', message: 'Hello from the clinic' });
    expect(res.status).toBe(404);
    expectErrorContract(res.body, 'NOT_FOUND');
    expect(sent()).toBe(0);
    await http()
      .post('/api/sms/send')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .send({ phone_number: '+12025550143', message: 'Hello from the clinic' })
      .expect(201);
    expect(sent()).toBe(1);
  });
});
