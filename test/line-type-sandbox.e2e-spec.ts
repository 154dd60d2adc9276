import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import {
  SANDBOX_LINE_TYPES,
  SANDBOX_LOOKUP_FAILS,
} from '../src/providers/sandbox/sandbox.provider.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const LANDLINE = '+12025550180';
const NON_FIXED_VOIP = '+12025550182';

describe('line types in the sandbox (e2e)', () => {
  let n = 0;
  const send = (app: INestApplication, phone: string) =>
    request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, message: `Sandbox line type ${++n}` });

  it('simulates the documented numbers', () => {
    expect(SANDBOX_LINE_TYPES[LANDLINE]).toBe('landline');
    expect(SANDBOX_LINE_TYPES[NON_FIXED_VOIP]).toBe('nonFixedVoip');
  });

  describe('with the defaults and LINE_TYPE_CHECK=on', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp({ env: { LINE_TYPE_CHECK: 'on' } });
    });
    afterAll(() => app.close());

    it('refuses the simulated landline and sends to a mobile', async () => {
      const res = await send(app, LANDLINE).expect(422);
      expect(res.body.error.code).toBe('RECIPIENT_NOT_MOBILE');
      await send(app, '+12025550143').expect(201);
    });

    it('lets non-fixed VoIP through', async () => {
      await send(app, NON_FIXED_VOIP).expect(201);
    });

    it('sends when the lookup fails, and audits that the number went unchecked', async () => {
      await send(app, SANDBOX_LOOKUP_FAILS).expect(201);
      const [failed] = await app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .findBy({ action: 'line_type.lookup_failed' });
      expect(failed).toBeDefined();
      expect(JSON.parse(failed.details ?? '{}')).toMatchObject({
        sent_unchecked: true,
        error_code: 'PROVIDER_UNAVAILABLE',
      });
    });
  });

  describe('with LINE_TYPE_ALLOW_NONFIXED_VOIP=false and LINE_TYPE_FAIL_OPEN=false', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp({
        env: {
          LINE_TYPE_CHECK: 'on',
          LINE_TYPE_ALLOW_NONFIXED_VOIP: 'false',
          LINE_TYPE_FAIL_OPEN: 'false',
        },
      });
    });
    afterAll(() => app.close());

    it('refuses non-fixed VoIP', async () => {
      const res = await send(app, NON_FIXED_VOIP).expect(422);
      expect(res.body.error.code).toBe('RECIPIENT_NOT_MOBILE');
    });

    it('answers 503 when the lookup fails, sending nothing', async () => {
      const res = await send(app, SANDBOX_LOOKUP_FAILS).expect(503);
      expect(res.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    });
  });

  it('looks nothing up when LINE_TYPE_CHECK is off', async () => {
    const app = await createTestApp({ env: { LINE_TYPE_CHECK: 'off' } });
    try {
      await send(app, LANDLINE).expect(201);
    } finally {
      await app.close();
    }
  });
});
