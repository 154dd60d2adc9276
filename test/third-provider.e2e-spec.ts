import type { INestApplication } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { readString } from '../src/config/env.js';
import { pass } from '../src/doctor/check.js';
import { defineProvider } from '../src/providers/provider-registration.js';
import type {
  OutboundSms,
  ProviderMessage,
  ProviderReceipt,
  SmsProvider,
} from '../src/providers/sms-provider.js';
import { createTestApp, TEST_ADMIN_KEY, TEST_API_KEY } from './support/test-app.js';

/** A provider no other file knows: it keeps what it is given. */
class KeepingProvider implements SmsProvider {
  readonly name = 'keeping';
  readonly capabilities = { requiresValidNumbers: true, mms: false, simulated: false };
  readonly received: OutboundSms[] = [];

  send(sms: OutboundSms): Promise<ProviderReceipt> {
    this.received.push(sms);
    return Promise.resolve({
      providerSid: `KP${randomBytes(8).toString('hex')}`,
      status: 'queued',
    });
  }

  findRecent(): Promise<ProviderMessage[]> {
    return Promise.resolve([]);
  }
}

const instances: KeepingProvider[] = [];
const keepingProvider = defineProvider({
  name: 'keeping',
  config: registerAs('keeping', () => ({ token: readString(process.env, 'KEEPING_SMS_TOKEN') })),
  credentials: ['KEEPING_SMS_TOKEN'],
  isConfigured: (config) => Boolean(config.token),
  create: () => {
    const provider = new KeepingProvider();
    instances.push(provider);
    return provider;
  },
  attemptBudgetMs: () => 1000,
  describe: () => 'Keeping, in memory',
  doctor: {
    checks: () => Promise.resolve([pass('Keeping provider', 'holds every text it is given')]),
    publicUrl: { needed: false, unsetDetail: 'not needed by the keeping provider' },
  },
});

describe('a third SMS provider, registered from one file (e2e)', () => {
  let app: INestApplication;
  let keeping: KeepingProvider;
  beforeAll(async () => {
    app = await createTestApp({
      providers: [keepingProvider],
      env: { SMS_PROVIDER: 'keeping', KEEPING_SMS_TOKEN: 'keeping-token' },
    });
    keeping = instances[instances.length - 1];
  });
  afterAll(() => app.close());

  const copay = (extra: object = {}) =>
    request(app.getHttpServer())
      .post('/api/sms/send-copay-card')
      .set('X-API-Key', TEST_API_KEY)
      .send({
        phone_number: '+12025550143',
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
        ...extra,
      });

  it('sends a tool text through it and answers as usual', async () => {
    const before = keeping.received.length;
    const res = await copay().expect(201);

    expect(keeping.received.slice(before)).toEqual([
      expect.objectContaining({
        messageId: res.body.message_id,
        to: '+12025550143',
        body: expect.stringContaining('https://copay.example.com/card/abc123'),
      }),
    ]);
    expect(res.body).toEqual({
      success: true,
      status: 'queued',
      message_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      provider_sid: expect.stringMatching(/^KP[0-9a-f]{16}$/),
      to: '***-***-0143',
      segments: 1,
      encoding: 'GSM-7',
      agent_message: expect.stringMatching(/^I've texted .+ to the number ending in 0143\.$/),
    });
  });

  it('refuses media_url, which it cannot send, before keeping anything', async () => {
    const before = keeping.received.length;
    const res = await copay({ media_url: 'https://copay.example.com/card/abc123.png' }).expect(422);
    expect(res.body.error.code).toBe('MMS_NOT_SUPPORTED');
    expect(res.body.agent_message).toBe("I can't send a picture to that number, only a text.");
    expect(keeping.received).toHaveLength(before);
  });

  it('brings its own lines to the doctor', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/doctor')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    const lines = (res.body.checks as { name: string; status: string; detail: string }[]).map(
      (c) => [c.name, c.status, c.detail],
    );
    expect(lines).toContainEqual(['Keeping provider', 'pass', 'holds every text it is given']);
    expect(lines).toContainEqual([
      'PUBLIC_BASE_URL',
      'pass',
      'not set: not needed by the keeping provider',
    ]);
  });
});

describe("a third provider's settings in the suites' environment (e2e)", () => {
  afterEach(() => {
    delete process.env.KEEPING_SMS_TOKEN;
  });

  it('are unset for each test app like the shipped providers', async () => {
    // As if the shell that runs the suites had it set.
    process.env.KEEPING_SMS_TOKEN = 'from-the-shell';
    const app = await createTestApp({ providers: [keepingProvider] });
    try {
      const res = await request(app.getHttpServer())
        .post('/api/sms/send-copay-card')
        .set('X-API-Key', TEST_API_KEY)
        .send({
          phone_number: '+12025550143',
          patient_name: 'Jane Doe',
          copay_url: 'https://copay.example.com/card/abc123',
        })
        .expect(201);
      expect(res.body.sandbox).toBe(true);
    } finally {
      await app.close();
    }
  });
});
