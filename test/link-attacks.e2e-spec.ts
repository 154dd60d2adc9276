import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { expectErrorContract } from './support/error-contract.js';
import {
  allowedLink,
  foreignLink,
  sentenceAround,
  type GeneratedLink,
} from './support/link-arbitraries.js';
import { templateFields, type TemplateField } from './support/template-fields.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const PATIENT = '+12025550143';
const ALLOWED_HOSTS = ['copay.example.com', 'portal.example-health.org'];
const SEED = Number(process.env.FUZZ_SEED ?? 20261224);

/**
 * Links a phone makes tappable, sent by an agent talked into phishing: whatever the wrapping,
 * a foreign host is refused, in free text and in every field a template writes into the text,
 * over HTTP, for a send and for a preview; allowed hosts in clean https form still go out.
 */
describe('links a phone would make tappable (e2e)', () => {
  let app: INestApplication;
  let sends: jest.SpiedFunction<SandboxProvider['send']>;
  let fields: TemplateField[];
  beforeAll(async () => {
    app = await createTestApp({
      // Generated texts repeat: each must be checked and sent, not answered as a duplicate.
      env: { LINK_ALLOWED_HOSTS: ALLOWED_HOSTS.join(','), DEDUPE_WINDOW: '0' },
    });
    sends = jest.spyOn(app.get<SandboxProvider>(SMS_PROVIDER), 'send');
    fields = await templateFields(app);
  });
  afterAll(() => app.close());
  beforeEach(() => sends.mockClear());

  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const send = (path: string, body: object) =>
    post(`/api/sms/${path}`, { phone_number: PATIENT, ...body });
  const preview = (tool: string, body: object) =>
    post('/api/sms/preview', { tool, phone_number: PATIENT, ...body });

  describe('the texts that went out before', () => {
    it.each([
      '*evil.com/login*',
      '“evil.com/pay”',
      'evil.com’s',
      'evil.com\u200b',
      '...evil.com',
      '12:30evil.com',
      '`evil.com`',
      'evil.xn--p1ai/x',
      '192.168.1.1/login',
    ])('refuses %j in send_sms and in its preview', async (link) => {
      const message = `Your card is ready: ${link} today`;
      const sent = await send('send', { message });
      expectErrorContract(sent.body, 'LINK_NOT_ALLOWED');
      expect(sent.status).toBe(422);
      expect(sent.body.agent_message).toMatch(/approved websites/);
      const previewed = await preview('send_sms', { message });
      expect([previewed.status, previewed.body.error?.code]).toEqual([422, 'LINK_NOT_ALLOWED']);
      expect(sends).not.toHaveBeenCalled();
    });

    it.each([
      ['patient_name', { patient_name: "evil.com's", medication_name: 'Lisinopril 10 mg' }],
      [
        'medication_name',
        { patient_name: 'Jane Doe', medication_name: "refill-portal.com's order" },
      ],
    ])('refuses a link in %s of a reminder, sent or previewed', async (_, fields) => {
      const sent = await send('send-prescription-reminder', fields);
      expect([sent.status, sent.body.error?.code]).toEqual([422, 'LINK_NOT_ALLOWED']);
      const previewed = await preview('send_prescription_reminder', fields);
      expect([previewed.status, previewed.body.error?.code]).toEqual([422, 'LINK_NOT_ALLOWED']);
      expect(sends).not.toHaveBeenCalled();
    });
  });

  it('refuses a copay_url with a backslash, which parsers other than WHATWG read as evil.com', async () => {
    const fields = {
      patient_name: 'Jane Doe',
      copay_url: 'https://copay.example.com\\@evil.com/card',
    };
    const sent = await send('send-copay-card', fields);
    expect([sent.status, sent.body.error?.code]).toEqual([422, 'LINK_NOT_ALLOWED']);
    expect(sends).not.toHaveBeenCalled();
  });

  it('finds the template fields of every tool in the registry', () => {
    const tools = new Set(fields.map((f) => f.tool));
    expect(tools.size).toBeGreaterThanOrEqual(5);
    // A field the LLM fills and the template prints, such as the reminder's medication.
    expect(fields.length).toBeGreaterThan(tools.size);
  });

  const refusedAsALink = (res: request.Response, link: GeneratedLink, where: string) => {
    if (res.status === 422 && res.body.error?.code === 'LINK_NOT_ALLOWED') return;
    throw new Error(
      `${where} answered ${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(link)}`,
    );
  };

  it('refuses a foreign host in free text however it is dressed, sent or previewed', async () => {
    await fc.assert(
      fc.asyncProperty(foreignLink('text'), async (link) => {
        const message = `Pay here ${link.text} today`;
        refusedAsALink(await send('send', { message }), link, 'send_sms');
        refusedAsALink(await preview('send_sms', { message }), link, 'preview');
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(sends).not.toHaveBeenCalled();
  });

  it('refuses a foreign host in every template field of every tool', async () => {
    for (const { tool, path, field, base, example } of fields) {
      let reachedThePolicy = 0;
      const links = example.startsWith('https://')
        ? foreignLink('url')
        : fc.oneof(foreignLink('text'), foreignLink('field'));
      await fc.assert(
        fc.asyncProperty(links, async (link) => {
          const res = await send(path, { ...base, [field]: link.text });
          // A field's own validator may refuse it first (400): refused either way.
          if (res.status === 400) return expectErrorContract(res.body, 'VALIDATION_FAILED');
          refusedAsALink(res, link, `${tool}.${field}`);
          reachedThePolicy++;
          refusedAsALink(await preview(tool, { ...base, [field]: link.text }), link, 'preview');
        }),
        { seed: SEED, numRuns: 60 },
      );
      // Not a property that holds because validation refused every value first.
      if (reachedThePolicy === 0)
        throw new Error(`No value for ${tool}.${field} passed validation`);
    }
    expect(sends).not.toHaveBeenCalled();
  });

  it('sends an allowed host in clean https form, in free text and in every link field', async () => {
    await fc.assert(
      fc.asyncProperty(allowedLink(ALLOWED_HOSTS), sentenceAround, async (link, [open, close]) => {
        const message = `Your card is here ${open}${link}${close} thanks`;
        expect((await preview('send_sms', { message })).status).toBe(200);
        expect((await send('send', { message })).status).toBe(201);
      }),
      { seed: SEED, numRuns: 60 },
    );
    const linkFields = fields.filter((f) => f.example.startsWith('https://'));
    expect(linkFields.length).toBeGreaterThan(0);
    for (const { path, field, base } of linkFields) {
      await fc.assert(
        fc.asyncProperty(allowedLink(ALLOWED_HOSTS), async (link) => {
          expect((await send(path, { ...base, [field]: link })).status).toBe(201);
        }),
        { seed: SEED, numRuns: 20 },
      );
    }
  });
});
