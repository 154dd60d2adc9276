import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TwilioConfig } from '../src/providers/twilio/twilio.config.js';
import type { CheckResult } from '../src/doctor/check.js';
import { twilioChecks } from '../src/providers/twilio/doctor/twilio-checks.js';
import { TwilioAccountReader } from '../src/providers/twilio/twilio-account.js';
import {
  numberSid,
  startTwilioStub,
  type StubAccount,
  type StubRequest,
  type TwilioStub,
} from './support/twilio-stub.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'doctor-contract-auth-token';
const SERVICE_SID = `MG${'fedcba9876543210'.repeat(2)}`;
const LOCAL = '+12025550100';
const TOLL_FREE = '+18885550100';
const BASE = 'https://gateway.example.com';

describe('the doctor’s Twilio checks against the Twilio stand-in (contract)', () => {
  let stub: TwilioStub;
  beforeAll(async () => {
    stub = await startTwilioStub();
  });
  afterAll(() => stub.close());
  beforeEach(() => stub.reset());

  const config = (overrides: Partial<TwilioConfig> = {}): TwilioConfig => ({
    enabled: true,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    statusCallbackUrl: undefined,
    fromNumber: LOCAL,
    messagingServiceSid: undefined,
    apiBaseUrl: stub.baseUrl,
    timeoutMs: 3000,
    ...overrides,
  });

  async function check(
    account: StubAccount,
    overrides: Partial<TwilioConfig> = {},
    publicBaseUrl: string | null = BASE,
  ): Promise<Record<string, CheckResult>> {
    stub.setAccount({ authToken: AUTH_TOKEN, ...account });
    const settings = config(overrides);
    const results = await twilioChecks(
      settings,
      publicBaseUrl ?? undefined,
      new TwilioAccountReader(settings),
    );
    return Object.fromEntries(results.map((r) => [r.name, r]));
  }

  const registered: StubAccount = {
    numbers: [{ phoneNumber: LOCAL, sms: true, mms: true, smsUrl: `${BASE}/api/twilio/inbound` }],
    services: [
      {
        sid: SERVICE_SID,
        friendlyName: 'Patient texts',
        inboundRequestUrl: `${BASE}/api/twilio/inbound`,
        numbers: [{ phoneNumber: LOCAL, sms: true, mms: true }],
        campaignStatuses: ['VERIFIED'],
      },
    ],
  };

  it('passes every line for a registered sender in a Messaging Service, with the webhooks set', async () => {
    const results = await check(registered, { messagingServiceSid: SERVICE_SID });
    expect(Object.values(results).map((r) => [r.name, r.status])).toEqual([
      ['Twilio credentials', 'pass'],
      ['Sender SMS capability', 'pass'],
      ['Messaging Service', 'pass'],
      ['US sender registration', 'pass'],
      ['Status callbacks', 'pass'],
      ['Inbound webhook', 'pass'],
    ]);
    // Read-only: GETs, never a create or an update.
    expect(stub.requests.map((r) => r.method)).toEqual(stub.requests.map(() => 'GET'));
  });

  describe('Twilio credentials', () => {
    it('fails with what to check when Twilio refuses them (20003)', async () => {
      stub.setAccount({ authToken: 'another-token' });
      const settings = config();
      const [only, ...rest] = await twilioChecks(settings, BASE, new TwilioAccountReader(settings));
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ status: 'fail', detail: expect.stringContaining('20003') });
      expect(only.action).toContain('TWILIO_AUTH_TOKEN');
    });

    it('warns about a trial account and fails a suspended one', async () => {
      expect((await check({ ...registered, type: 'Trial' }))['Twilio credentials']).toMatchObject({
        status: 'warn',
        detail: expect.stringContaining('trial'),
      });
      const suspended = await check({ ...registered, status: 'suspended' });
      expect(Object.keys(suspended)).toEqual(['Twilio credentials']);
      expect(suspended['Twilio credentials'].status).toBe('fail');
    });
  });

  describe('Sender SMS capability', () => {
    it('fails a sender that cannot send SMS, and says what to do', async () => {
      const result = (await check({ numbers: [{ phoneNumber: LOCAL, sms: false }] }))[
        'Sender SMS capability'
      ];
      expect(result).toMatchObject({ status: 'fail', detail: '***-***-0100 cannot send SMS' });
      expect(result.action).toContain('SMS-capable');
    });

    it('fails a TWILIO_PHONE_NUMBER the account does not hold', async () => {
      expect((await check({ numbers: [] }))['Sender SMS capability']).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('is not a number on this account'),
      });
    });

    it('passes an SMS-only number, noting MMS', async () => {
      expect(
        (await check({ numbers: [{ phoneNumber: LOCAL, sms: true, mms: false }] }))[
          'Sender SMS capability'
        ],
      ).toMatchObject({ status: 'pass', detail: expect.stringContaining('not MMS') });
    });

    it('fails a Messaging Service whose pool is empty', async () => {
      const account = { services: [{ ...registered.services![0], numbers: [] }] };
      expect(
        (await check(account, { messagingServiceSid: SERVICE_SID }))['Sender SMS capability'],
      ).toMatchObject({ status: 'fail', detail: expect.stringContaining('no sender') });
    });
  });

  describe('Messaging Service', () => {
    it('warns without one, naming what is lost: A2P 10DLC registration, not scheduling', async () => {
      const result = (await check(registered))['Messaging Service'];
      expect(result.status).toBe('warn');
      expect(result.action).toContain('A2P 10DLC');
      expect(result.action).toContain('Scheduled texts still go out');
    });

    it('fails a TWILIO_MESSAGING_SERVICE_SID the account does not have', async () => {
      expect(
        (await check({ ...registered, services: [] }, { messagingServiceSid: SERVICE_SID }))[
          'Messaging Service'
        ],
      ).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('not a Messaging Service'),
      });
    });
  });

  describe('US sender registration', () => {
    const withCampaigns = (campaignStatuses: string[]) =>
      check(
        { ...registered, services: [{ ...registered.services![0], campaignStatuses }] },
        { messagingServiceSid: SERVICE_SID },
      );

    it.each([
      [['VERIFIED'], 'pass'],
      [['IN_PROGRESS'], 'warn'],
      [['FAILED'], 'fail'],
      [[], 'fail'],
    ])('A2P 10DLC campaigns %j: %s', async (statuses, status) => {
      expect((await withCampaigns(statuses))['US sender registration'].status).toBe(status);
    });

    it('fails a US local number sending without a Messaging Service (error 30034)', async () => {
      const result = (await check(registered))['US sender registration'];
      expect(result).toMatchObject({ status: 'fail', detail: expect.stringContaining('10DLC') });
      expect(result.action).toContain('30034');
    });

    it.each([
      ['TWILIO_APPROVED', 'pass'],
      ['IN_REVIEW', 'warn'],
      ['TWILIO_REJECTED', 'fail'],
      [null, 'fail'],
    ])('a toll-free sender whose verification is %s: %s', async (verification, status) => {
      const number = { phoneNumber: TOLL_FREE, sms: true };
      const result = await check(
        {
          numbers: [number],
          tollfreeVerifications: verification
            ? [{ tollfreePhoneNumberSid: numberSid(number), status: verification }]
            : [],
        },
        { fromNumber: TOLL_FREE },
      );
      expect(result['US sender registration'].status).toBe(status);
    });

    it('has nothing to check for a sender outside the US', async () => {
      const uk = '+447700900123';
      const result = await check({ numbers: [{ phoneNumber: uk, sms: true }] }, { fromNumber: uk });
      expect(result['US sender registration'].status).toBe('pass');
    });
  });

  describe('Status callbacks and Inbound webhook', () => {
    it('compares the number’s incoming webhook with PUBLIC_BASE_URL/api/twilio/inbound', async () => {
      const elsewhere = await check({
        numbers: [{ phoneNumber: LOCAL, sms: true, smsUrl: 'https://demo.twilio.com/welcome/sms' }],
      });
      expect(elsewhere['Inbound webhook']).toMatchObject({
        status: 'warn',
        detail: expect.stringContaining('https://demo.twilio.com/welcome/sms'),
      });
      expect(elsewhere['Inbound webhook'].action).toContain(`${BASE}/api/twilio/inbound`);
      expect(elsewhere['Status callbacks']).toMatchObject({
        status: 'pass',
        detail: expect.stringContaining(`${BASE}/api/twilio/status`),
      });
    });

    it('reads the Messaging Service’s webhook when the service handles incoming texts', async () => {
      const account = {
        ...registered,
        services: [{ ...registered.services![0], inboundRequestUrl: null }],
      };
      expect(
        (await check(account, { messagingServiceSid: SERVICE_SID }))['Inbound webhook'],
      ).toMatchObject({ status: 'warn', detail: expect.stringContaining('Messaging Service') });
    });

    it('warns about both without PUBLIC_BASE_URL', async () => {
      const results = await check(registered, {}, null);
      expect([results['Status callbacks'].status, results['Inbound webhook'].status]).toEqual([
        'warn',
        'warn',
      ]);
    });
  });
});

/** Twilio's own OpenAPI descriptions, next to the repository (../shared/reference/twilio). */
const REFERENCE = join(import.meta.dirname, '..', '..', 'shared', 'reference', 'twilio');
const SPEC_FILES = ['twilio_api_v2010.json', 'twilio_messaging_v1.json'];
const hasReference = SPEC_FILES.every((file) => existsSync(join(REFERENCE, file)));
if (!hasReference) console.log(`${REFERENCE} is missing: skipping the OpenAPI comparison.`);

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
};
interface Operation {
  parameters?: { name?: string; in?: string }[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface OpenApi {
  paths: Record<string, { get?: Operation }>;
  components: { schemas: Record<string, Schema> };
}

(hasReference ? describe : describe.skip)(
  'the stand-in against Twilio’s OpenAPI (contract)',
  () => {
    let specs: OpenApi[];
    let stub: TwilioStub;
    beforeAll(async () => {
      // Read here, not while Jest collects the tests: a skipped describe still runs its body.
      specs = SPEC_FILES.map(
        (file) => JSON.parse(readFileSync(join(REFERENCE, file), 'utf8')) as OpenApi,
      );
      stub = await startTwilioStub();
    });
    afterAll(() => stub.close());

    function operationFor(path: string): { spec: OpenApi; template: string; op: Operation } {
      for (const spec of specs) {
        for (const [template, item] of Object.entries(spec.paths)) {
          const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
          if (item.get && pattern.test(path)) return { spec, template, op: item.get };
        }
      }
      throw new Error(`${path} is not a documented GET`);
    }

    function resolve(spec: OpenApi, schema: Schema): Schema {
      if (schema.$ref) return resolve(spec, spec.components.schemas[schema.$ref.split('/').pop()!]);
      // The Usa2p list documents a oneOf of two campaign versions: the first is the classic one.
      if (schema.oneOf) return resolve(spec, schema.oneOf[0]);
      return schema;
    }

    function expectDocumented(request: StubRequest): void {
      const url = new URL(request.path, 'http://stub');
      const { spec, template, op } = operationFor(url.pathname);
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const name of url.searchParams.keys())
        expect({ template, name, ok: queryNames.includes(name) }).toEqual({
          template,
          name,
          ok: true,
        });

      const schema = resolve(spec, op.responses['200'].content!['application/json'].schema);
      const body = request.response!.body;
      expect({ template, keys: Object.keys(body).sort() }).toEqual({
        template,
        keys: Object.keys(schema.properties!).sort(),
      });
      // A list: each item has exactly the documented fields of its resource.
      for (const [key, property] of Object.entries(schema.properties!)) {
        if (!property.items) continue;
        const item = resolve(spec, property.items);
        for (const entry of body[key] as Record<string, unknown>[]) {
          expect({ template, keys: Object.keys(entry).sort() }).toEqual({
            template,
            keys: Object.keys(item.properties!).sort(),
          });
        }
      }
    }

    it('answers every read the doctor makes with exactly the documented fields and parameters', async () => {
      const number = { phoneNumber: TOLL_FREE, sms: true };
      stub.setAccount({
        ...{
          numbers: [{ phoneNumber: LOCAL, sms: true }, number],
          services: [
            {
              sid: SERVICE_SID,
              numbers: [{ phoneNumber: LOCAL }, number],
              campaignStatuses: ['VERIFIED'],
            },
          ],
          tollfreeVerifications: [
            { tollfreePhoneNumberSid: numberSid(number), status: 'TWILIO_APPROVED' },
          ],
        },
      });
      const settings: TwilioConfig = {
        enabled: true,
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        statusCallbackUrl: undefined,
        fromNumber: LOCAL,
        messagingServiceSid: SERVICE_SID,
        apiBaseUrl: stub.baseUrl,
        timeoutMs: 3000,
      };
      const results = await twilioChecks(settings, BASE, new TwilioAccountReader(settings));
      expect(results.every((r) => r.name)).toBe(true);

      const templates = stub.requests.map(
        (r) => operationFor(new URL(r.path, 'http://s').pathname).template,
      );
      expect(new Set(templates)).toEqual(
        new Set([
          '/2010-04-01/Accounts/{Sid}.json',
          '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json',
          '/v1/Services/{Sid}',
          '/v1/Services/{ServiceSid}/PhoneNumbers',
          '/v1/Services/{MessagingServiceSid}/Compliance/Usa2p',
          '/v1/Tollfree/Verifications',
        ]),
      );
      for (const request of stub.requests) expectDocumented(request);
    });
  },
);
