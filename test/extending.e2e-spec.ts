import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { sendLabReadyTool } from './support/lab-ready-tool.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

describe('adding a tool (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ tools: [...DEFAULT_TOOLS, sendLabReadyTool] });
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (body: object) =>
    request(app.getHttpServer())
      .post('/api/sms/send-lab-ready')
      .set('X-API-Key', TEST_API_KEY)
      .send(body);

  it('serves the registered tool and sends its template', async () => {
    const res = await post({ phone_number: '+12025550143', lab: 'imaging' }).expect(201);
    expect(res.body.agent_message).toContain('the lab notice');
    const sandbox = app.get<SandboxProvider>(SMS_PROVIDER);
    expect(sandbox.recent()[0].body).toBe('Your imaging results are ready in the patient portal.');
  });

  it("validates the tool's own DTO", async () => {
    const res = await post({ phone_number: '+12025550143', lab: 'dental' }).expect(400);
    expect(res.body.error.details.fields[0].field).toBe('lab');
    await post({ phone_number: '+12025550143', lab: 'blood', extra: 1 }).expect(400);
  });

  it('needs an API key like every tool', async () => {
    await request(app.getHttpServer())
      .post('/api/sms/send-lab-ready')
      .send({ phone_number: '+12025550143', lab: 'blood' })
      .expect(401);
  });

  it('documents it in the OpenAPI document', async () => {
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const operation = doc.paths['/api/sms/send-lab-ready'].post;
    expect(operation.operationId).toBe('send_lab_ready');
    expect(operation.description).toBe('Use when the patient asks whether their lab result is in.');
    const ref: string = operation.requestBody.content['application/json'].schema.$ref;
    const schema = doc.components.schemas[ref.split('/').pop() as string];
    expect(schema.properties.lab.enum).toEqual(['blood', 'imaging']);
    expect(schema.required).toEqual(expect.arrayContaining(['phone_number', 'lab']));
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '429']),
    );
  });

  it('is absent from an app that does not register it', async () => {
    const plain = await createTestApp();
    try {
      await request(plain.getHttpServer())
        .post('/api/sms/send-lab-ready')
        .set('X-API-Key', TEST_API_KEY)
        .send({ phone_number: '+12025550143', lab: 'blood' })
        .expect(404);
    } finally {
      await plain.close();
    }
  });
});
