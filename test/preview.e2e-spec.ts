import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MessageEntity } from '../src/messages/message.entity.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { textsPatient } from '../src/tools/tool-definition.js';
import { ToolRegistry } from '../src/tools/tool-registry.js';
import { exampleRequest } from './support/template-fields.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const PHONE = '+12025550143';

interface PreviewCase {
  tool: string;
  fields: Record<string, unknown>;
  en: string;
  es: string;
}

const CASES: PreviewCase[] = [
  {
    tool: 'send_sms',
    fields: { message: 'Your lab results are ready in the portal.' },
    en: 'Your lab results are ready in the portal.',
    es: 'Your lab results are ready in the portal.',
  },
  {
    tool: 'send_copay_card',
    fields: { patient_name: 'Jane Doe', copay_url: 'https://copay.example.com/card/abc123' },
    en: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
    es: 'Hola Jane, le enviamos su tarjeta de copago: https://copay.example.com/card/abc123',
  },
  {
    tool: 'send_prescription_reminder',
    fields: {
      patient_name: 'Jane Doe',
      medication_name: 'Lisinopril 10 mg',
      refill_date: '2026-12-02',
      pharmacy_name: 'Main Street Pharmacy',
    },
    en: 'Hi Jane, this is a reminder to refill your Lisinopril 10 mg by Wednesday, December 2 at Main Street Pharmacy. Reply 1 to request a refill.',
    es: 'Hola Jane, le recordamos resurtir su receta de Lisinopril 10 mg antes del miércoles, 2 de diciembre en Main Street Pharmacy. Responda 1 para pedir un resurtido.',
  },
  {
    tool: 'send_prior_auth_update',
    fields: { patient_name: 'Jane Doe', status: 'pending' },
    en: 'Hi Jane, your prior authorization request is still under review. We will text you when there is an update.',
    es: 'Hola Jane, su solicitud de autorización previa sigue en revisión. Le avisaremos por mensaje de texto cuando haya novedades.',
  },
  {
    tool: 'send_appointment_confirmation',
    fields: {
      patient_name: 'Jane Doe',
      appointment_time: '2026-12-02T15:30:00-05:00',
      provider_name: 'Dr. Patel',
      location: 'Main Street Clinic, Suite 200',
    },
    en: 'Hi Jane, your appointment with Dr. Patel is confirmed for Wednesday, December 2, 2026 at 3:30 PM at Main Street Clinic, Suite 200. Reply C to confirm or R to reschedule.',
    es: 'Hola Jane, su cita con Dr. Patel queda confirmada para el miércoles, 2 de diciembre de 2026 a las 15:30 en Main Street Clinic, Suite 200. Responda C para confirmar o R para cambiar la cita.',
  },
];

describe('POST /api/sms/preview (e2e)', () => {
  let app: INestApplication;
  let db: DataSource;
  let sandbox: SandboxProvider;

  beforeAll(async () => {
    app = await createTestApp({
      env: { SMS_PRICE_PER_SEGMENT: '0.0079', SMS_PRICE_CURRENCY: 'USD' },
    });
    db = app.get(DataSource);
    sandbox = app.get(SMS_PROVIDER);
  });
  afterAll(async () => {
    await app.close();
  });

  const preview = (body: unknown) =>
    request(app.getHttpServer())
      .post('/api/sms/preview')
      .set('X-API-Key', TEST_API_KEY)
      .send(body as object);
  const messageCount = () => db.getRepository(MessageEntity).count();
  /** The tools a preview takes: every registered one that texts. */
  const textingTools = () =>
    app
      .get(ToolRegistry)
      .all()
      .filter(textsPatient)
      .map((tool) => tool.name);

  describe('every registered tool', () => {
    let document: OpenAPIObject;
    beforeAll(async () => {
      document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    });

    it.each(['en', 'es'])(
      'previews its documented example in its own %s text, sending nothing',
      async (language) => {
        const before = await messageCount();
        for (const tool of textingTools()) {
          const res = await preview({ tool, ...exampleRequest(document, tool), language });

          expect({ tool, status: res.status, language: res.body.language }).toEqual({
            tool,
            status: 200,
            language,
          });
          expect(res.body.notice).toBeUndefined();
          expect(res.body.text).toMatch(/\S/);
          expect(res.body.text).not.toMatch(/\{\{|\}\}/);
        }
        expect(await messageCount()).toBe(before);
      },
    );
  });

  describe.each(CASES)('$tool', ({ tool, fields, en, es }) => {
    it('shows the English text, its encoding, segments and cost', async () => {
      const res = await preview({ tool, phone_number: PHONE, ...fields }).expect(200);

      expect(res.body).toEqual({
        tool,
        text: en,
        language: 'en',
        encoding: 'GSM-7',
        // One GSM-7 segment holds 160 characters; two 306.
        segments: en.length <= 160 ? 1 : 2,
        characters: en.length,
        estimated_cost: {
          per_segment: 0.0079,
          total: en.length <= 160 ? 0.0079 : 0.0158,
          currency: 'USD',
        },
      });
    });

    it('shows the Spanish text for language es', async () => {
      const res = await preview({ tool, phone_number: PHONE, language: 'es', ...fields }).expect(
        200,
      );

      expect(res.body).toMatchObject({ tool, text: es, language: 'es' });
      expect(res.body.characters).toBe([...es].length);
    });
  });

  it('counts UCS-2 when a Spanish text needs it, and prices every segment', async () => {
    const res = await preview({
      tool: 'send_prior_auth_update',
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      status: 'approved',
      language: 'es',
    }).expect(200);

    expect(res.body).toMatchObject({
      encoding: 'UCS-2',
      segments: 2,
      characters: 102,
      estimated_cost: { per_segment: 0.0079, total: 0.0158, currency: 'USD' },
    });
  });

  it('keeps a Spanish text with é GSM-7', async () => {
    const { fields } = CASES[4];
    const res = await preview({
      tool: 'send_appointment_confirmation',
      phone_number: PHONE,
      language: 'es-MX',
      ...fields,
    }).expect(200);

    // Two segments with the replies it asks for, still GSM-7 (one UCS-2 letter would make it three).
    expect(res.body).toMatchObject({ language: 'es', encoding: 'GSM-7', segments: 2 });
  });

  it('says when a language has no templates and the text is in English', async () => {
    const res = await preview({
      tool: 'send_copay_card',
      phone_number: PHONE,
      language: 'fr',
      ...CASES[1].fields,
    }).expect(200);

    expect(res.body).toMatchObject({
      text: CASES[1].en,
      language: 'en',
      notice: 'No templates for language "fr": the text is in English.',
    });
  });

  it('sends nothing and stores nothing', async () => {
    const before = await messageCount();
    const outbox = sandbox.recent().length;

    for (const { tool, fields } of CASES) {
      await preview({ tool, phone_number: PHONE, ...fields }).expect(200);
    }

    expect(await messageCount()).toBe(before);
    expect(sandbox.recent()).toHaveLength(outbox);
  });

  describe('refuses in the error contract', () => {
    it.each([
      ['an unknown tool', { tool: 'send_fax', phone_number: PHONE }],
      ['no tool', { phone_number: PHONE, message: 'Hi' }],
      ['a tool that is not a name', { tool: ['send_sms'], phone_number: PHONE, message: 'Hi' }],
    ])('%s, naming the field and the tools', async (_case, body) => {
      const res = await preview(body).expect(400);

      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_FAILED', retryable: false },
        agent_message: expect.any(String),
        request_id: expect.any(String),
      });
      expect(res.body.error.details.fields).toEqual([
        {
          field: 'tool',
          problems: [`tool must be one of ${textingTools().join(', ')}`],
        },
      ]);
    });

    it.each([
      ['a bad value', { status: 'maybe' }, 'status'],
      ['a missing field', { patient_name: undefined }, 'patient_name'],
      ['a field the tool does not take', { medication_name: 'Ozempic' }, 'medication_name'],
    ])("%s against the tool's own DTO", async (_case, change, field) => {
      const body = {
        tool: 'send_prior_auth_update',
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        status: 'approved',
        ...change,
      };

      const res = await preview(body).expect(400);

      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });

    it('a body that is not an object', async () => {
      const res = await preview([{ tool: 'send_sms' }]).expect(400);

      expect(res.body.error.details.fields[0].field).toBe('tool');
    });

    it('a link the send would refuse', async () => {
      const res = await preview({
        tool: 'send_copay_card',
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        copay_url: 'https://evil.example.net/card',
      }).expect(422);

      expect(res.body.error.code).toBe('LINK_NOT_ALLOWED');
    });

    it('without an API key', async () => {
      const res = await request(app.getHttpServer())
        .post('/api/sms/preview')
        .send({ tool: 'send_sms', phone_number: PHONE, message: 'Hi' })
        .expect(401);

      expect(res.body.error.code).toBe('UNAUTHORIZED');
    });
  });

  it('documents the body as one schema per tool, told apart by "tool"', async () => {
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const operation = doc.paths['/api/sms/preview'].post;
    const schema = operation.requestBody.content['application/json'].schema;

    expect(operation.operationId).toBe('preview_sms');
    expect(schema.discriminator.propertyName).toBe('tool');
    expect(Object.keys(schema.discriminator.mapping)).toEqual(textingTools());
    const copayCard = doc.components.schemas[
      schema.discriminator.mapping.send_copay_card.split('/').pop()
    ] as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(copayCard.properties.tool.enum).toEqual(['send_copay_card']);
    expect(copayCard.required).toEqual(expect.arrayContaining(['tool', 'copay_url']));
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '422']),
    );
    expect(operation.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
  });
});
