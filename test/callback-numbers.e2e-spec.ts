import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { CREDENTIAL_TERMS } from '../src/policy/credential-terms.js';
import { ToolRegistry } from '../src/tools/tool-registry.js';
import { textsPatient } from '../src/tools/tool-definition.js';
import { expectErrorContract } from './support/error-contract.js';
import { aWritingOf, nanpDigits } from './support/number-formats.js';
import { exampleRequest, templateFields, type TemplateField } from './support/template-fields.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const PATIENT = '+12025550143';
// The clinic's numbers, as an operator would write them.
const CLINIC = { '2025550100': '(202) 555-0100', '8003569377': '1-800-FLOWERS' };
const SEED = Number(process.env.FUZZ_SEED ?? 20261225);

describe('phone numbers and credential requests in texts (e2e)', () => {
  let app: INestApplication;
  let sends: jest.SpiedFunction<SandboxProvider['send']>;
  let fields: TemplateField[];
  beforeAll(async () => {
    app = await createTestApp({
      env: { CALLBACK_NUMBERS: Object.values(CLINIC).join(', '), DEDUPE_WINDOW: '0' },
    });
    sends = jest.spyOn(app.get<SandboxProvider>(SMS_PROVIDER), 'send');
    fields = (await templateFields(app)).filter((f) => !f.example.startsWith('https://'));
  });
  afterAll(() => app.close());
  beforeEach(() => sends.mockClear());

  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const send = (path: string, body: object) =>
    post(`/api/sms/${path}`, { phone_number: PATIENT, ...body });
  const preview = (tool: string, body: object) =>
    post('/api/sms/preview', { tool, phone_number: PATIENT, ...body });
  const outcome = (res: request.Response) => [res.status, res.body.error?.code ?? null];

  it('refuses a callback number that is not the clinic’s, sent or previewed', async () => {
    const message = 'Your card is blocked. Call 1-900-555-0199 now to unlock it.';
    const res = await send('send', { message });
    expectErrorContract(res.body, 'CALLBACK_NUMBER_NOT_ALLOWED');
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual({ number: '***-***-0199' });
    expect(res.body.agent_message).toMatch(/our own phone numbers/);
    expect(outcome(await preview('send_sms', { message }))).toEqual([
      422,
      'CALLBACK_NUMBER_NOT_ALLOWED',
    ]);
    expect(sends).not.toHaveBeenCalled();
  });

  it('audits each refusal once, with its code and never the number or the text', async () => {
    for (const [message, code] of [
      ['Call 1-900-555-0199 now to unlock your card.', 'CALLBACK_NUMBER_NOT_ALLOWED'],
      ['Reply with your password to unlock your card.', 'CREDENTIAL_REQUEST_NOT_ALLOWED'],
    ]) {
      const requestId = `callback-${randomUUID()}`;
      await post('/api/sms/send', { phone_number: PATIENT, message })
        .set('X-Request-Id', requestId)
        .expect(422);
      const events = await app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .find({ where: { requestId } });
      expect(events.map((e) => [e.action, e.outcome, JSON.parse(e.details ?? '{}').code])).toEqual([
        ['sms.rejected', 'failure', code],
      ]);
      expect(JSON.stringify(events)).not.toMatch(/9005550199|555-0199|unlock|password/);
    }
  });

  it('refuses a text that asks for a Social Security number, sent or previewed', async () => {
    const message = 'Refill approved. Text your SSN to 555-0142 to confirm.';
    const res = await send('send', { message });
    expectErrorContract(res.body, 'CREDENTIAL_REQUEST_NOT_ALLOWED');
    expect(res.body.error.details).toEqual({ term: 'SSN' });
    expect(outcome(await preview('send_sms', { message }))).toEqual([
      422,
      'CREDENTIAL_REQUEST_NOT_ALLOWED',
    ]);
    expect(sends).not.toHaveBeenCalled();
  });

  it('refuses a 7-digit local number, which the patient would dial in their own area code', async () => {
    const res = await send('send', { message: 'Refill approved. Text YES to 555-0142.' });
    expect(outcome(res)).toEqual([422, 'CALLBACK_NUMBER_NOT_ALLOWED']);
  });

  it.each(
    Object.entries(CREDENTIAL_TERMS).flatMap(([language, terms]) =>
      terms.map((term) => [language, term]),
    ),
  )('refuses a text naming the %s term %j, however it is cased or accented', async (_, term) => {
    const plain = term.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    for (const message of [`Please reply with your ${term} today.`, `Reply: ${plain}!`]) {
      const res = await send('send', { message });
      expect([...outcome(res), res.body.error?.details]).toEqual([
        422,
        'CREDENTIAL_REQUEST_NOT_ALLOWED',
        { term },
      ]);
    }
  });

  it('refuses a credential request in a template field', async () => {
    const res = await send('send-prescription-reminder', {
      patient_name: 'Jane Doe',
      medication_name: 'Contraseña del portal',
    });
    expect(outcome(res)).toEqual([422, 'CREDENTIAL_REQUEST_NOT_ALLOWED']);
  });

  const clinic = fc
    .constantFrom(...Object.keys(CLINIC))
    .chain((digits) => aWritingOf(digits).map((text) => ({ digits, text })));
  const stranger = nanpDigits
    .filter((digits) => !(digits in CLINIC))
    .chain((digits) => aWritingOf(digits).map((text) => ({ digits, text })));

  it('sends the clinic’s numbers in every format, in free text', async () => {
    await fc.assert(
      fc.asyncProperty(clinic, async ({ text }) => {
        const message = `Questions? Call us at ${text} any time.`;
        expect([text, outcome(await send('send', { message }))]).toEqual([text, [201, null]]);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('refuses every other number in every format, in free text and in a preview', async () => {
    await fc.assert(
      fc.asyncProperty(stranger, async ({ digits, text }) => {
        const message = `Questions? Call us at ${text} any time.`;
        const res = await send('send', { message });
        expect([text, ...outcome(res), res.body.error?.details]).toEqual([
          text,
          422,
          'CALLBACK_NUMBER_NOT_ALLOWED',
          { number: `***-***-${digits.slice(-4)}` },
        ]);
        expect([text, ...outcome(await preview('send_sms', { message }))]).toEqual([
          text,
          422,
          'CALLBACK_NUMBER_NOT_ALLOWED',
        ]);
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(sends).not.toHaveBeenCalled();
  });

  it('applies the same rule to every template field of every tool', async () => {
    let fieldsThatTakeNumbers = 0;
    for (const { tool, path, field, base } of fields) {
      let accepted = 0;
      let refusedByPolicy = 0;
      await fc.assert(
        fc.asyncProperty(fc.boolean(), clinic, stranger, async (own, ours, theirs) => {
          const res = await send(path, {
            ...base,
            [field]: `Call ${own ? ours.text : theirs.text}`,
          });
          // A field whose validator refuses digits answers 400 either way.
          if (res.status === 400) return expectErrorContract(res.body, 'VALIDATION_FAILED');
          expect([tool, field, own, ...outcome(res)]).toEqual(
            own
              ? [tool, field, own, 201, null]
              : [tool, field, own, 422, 'CALLBACK_NUMBER_NOT_ALLOWED'],
          );
          if (own) accepted++;
          else refusedByPolicy++;
        }),
        { seed: SEED, numRuns: 30 },
      );
      // A field that lets the clinic's number through let the others reach the policy too.
      if (accepted > 0)
        expect({ tool, field, refusedByPolicy: refusedByPolicy > 0 }).toEqual({
          tool,
          field,
          refusedByPolicy: true,
        });
      if (accepted > 0 && field !== 'message') fieldsThatTakeNumbers++;
    }
    expect(fieldsThatTakeNumbers).toBeGreaterThan(0);
  });

  it('does not take the dates, times and amounts the templates and agents write for numbers', async () => {
    const when = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    const offset = fc.constantFrom('-10:00', '-05:00', '+00:00', '+05:30', 'Z');
    await fc.assert(
      fc.asyncProperty(
        when,
        offset,
        fc.constantFrom('en', 'es'),
        fc.integer({ min: 0, max: 99_999_999 }),
        async (date, zone, language, cents) => {
          const iso = date.toISOString().slice(0, 19);
          const appointment = await send('send-appointment-confirmation', {
            patient_name: 'Jane Doe',
            appointment_time: `${iso}${zone === 'Z' ? 'Z' : zone}`,
            language,
          });
          expect([iso, ...outcome(appointment)]).toEqual([iso, 201, null]);
          const refill = await send('send-prescription-reminder', {
            patient_name: 'Jane Doe',
            medication_name: 'Lisinopril 10 mg',
            refill_date: iso.slice(0, 10),
            language,
          });
          expect([iso, ...outcome(refill)]).toEqual([iso, 201, null]);
          const amount = (cents / 100).toLocaleString('en-US', {
            style: 'currency',
            currency: 'USD',
          });
          const time = `${iso.slice(11, 16)}`;
          const message = `Your copay is ${amount}, due ${iso.slice(0, 10)} by ${time}.`;
          expect([message, ...outcome(await send('send', { message }))]).toEqual([
            message,
            201,
            null,
          ]);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('with no CALLBACK_NUMBERS (the default) (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('sends the documented example of every tool in every language: the templates hold no number', async () => {
    const http = () => request(app.getHttpServer());
    const document = (await http().get('/docs-json').expect(200)).body;
    for (const tool of app.get(ToolRegistry).all()) {
      if (!textsPatient(tool)) continue;
      for (const language of ['en', 'es']) {
        const res = await http()
          .post(`/api/sms/${tool.path}`)
          .set('X-API-Key', TEST_API_KEY)
          .send({ ...exampleRequest(document, tool.name), language });
        expect([tool.name, language, res.status]).toEqual([tool.name, language, 201]);
      }
    }
  });
});
