import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const COPAY_CARD = {
  phone_number: '+12025550143',
  patient_name: 'Jane Doe',
  copay_url: 'https://copay.example.com/card/abc123',
};

describe('templates a team can change (e2e)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-e2e-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const writeTemplates = (file: string, content: string) => writeFileSync(join(dir, file), content);

  describe('with TEMPLATES_DIR', () => {
    let app: INestApplication;
    beforeEach(async () => {
      writeTemplates(
        'es.json',
        JSON.stringify({ send_copay_card: 'Hola {{first_name}}, su tarjeta: {{copay_url}}' }),
      );
      app = await createTestApp({ env: { TEMPLATES_DIR: dir } });
    });
    afterEach(async () => {
      await app.close();
    });
    const post = (path: string, body: object) =>
      request(app.getHttpServer()).post(path).set('X-API-Key', TEST_API_KEY).send(body);

    it('sends the overriding template', async () => {
      await post('/api/sms/send-copay-card', { ...COPAY_CARD, language: 'es' }).expect(201);

      const sandbox = app.get<SandboxProvider>(SMS_PROVIDER);
      expect(sandbox.recent()[0].body).toBe(
        'Hola Jane, su tarjeta: https://copay.example.com/card/abc123',
      );
    });

    it('previews it too, and keeps the defaults it does not override', async () => {
      const spanish = await post('/api/sms/preview', {
        tool: 'send_copay_card',
        ...COPAY_CARD,
        language: 'es',
      }).expect(200);
      const english = await post('/api/sms/preview', {
        tool: 'send_copay_card',
        ...COPAY_CARD,
      }).expect(200);

      expect(spanish.body.text).toBe(
        'Hola Jane, su tarjeta: https://copay.example.com/card/abc123',
      );
      expect(english.body.text).toBe(
        'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
      );
    });
  });

  it('sends in Spanish by default templates, and in English with a notice for an unknown language', async () => {
    const app = await createTestApp();
    try {
      const post = (body: object) =>
        request(app.getHttpServer())
          .post('/api/sms/send-copay-card')
          .set('X-API-Key', TEST_API_KEY)
          .send(body);
      const sandbox = app.get<SandboxProvider>(SMS_PROVIDER);

      const spanish = await post({ ...COPAY_CARD, language: 'es' }).expect(201);
      expect(sandbox.recent()[0].body).toBe(
        'Hola Jane, le enviamos su tarjeta de copago: https://copay.example.com/card/abc123',
      );
      expect(spanish.body.notice).toBeUndefined();

      const fallback = await post({ ...COPAY_CARD, language: 'fr' }).expect(201);
      expect(sandbox.recent()[0].body).toBe(
        'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
      );
      expect(fallback.body.notice).toContain('"fr"');
    } finally {
      await app.close();
    }
  });

  describe('a broken templates file stops the boot', () => {
    it('naming the file and the variable the tool does not provide', async () => {
      writeTemplates(
        'es.json',
        JSON.stringify({ send_copay_card: 'Hola {{first_name}}: {{card_url}}' }),
      );

      await expect(createTestApp({ env: { TEMPLATES_DIR: dir } })).rejects.toThrow(
        `${join(dir, 'es.json')}: Template of send_copay_card uses {{card_url}}, which the tool does not provide`,
      );
    });

    it('naming the file that is not valid JSON', async () => {
      writeTemplates('en.json', '{ "send_copay_card": "Hi {{first_name}}" ');

      await expect(createTestApp({ env: { TEMPLATES_DIR: dir } })).rejects.toThrow(
        `${join(dir, 'en.json')}: not valid JSON`,
      );
    });

    it('naming the file and the unknown tool', async () => {
      writeTemplates('es.json', JSON.stringify({ send_fax: 'Hola' }));

      await expect(createTestApp({ env: { TEMPLATES_DIR: dir } })).rejects.toThrow(
        `${join(dir, 'es.json')}: there is no tool named "send_fax"`,
      );
    });

    it('naming TEMPLATES_DIR when it is not a directory', async () => {
      await expect(createTestApp({ env: { TEMPLATES_DIR: join(dir, 'missing') } })).rejects.toThrow(
        'Invalid configuration: TEMPLATES_DIR must be a directory',
      );
    });
  });
});
