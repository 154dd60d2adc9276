import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

const FAILURES = 3;
const SEND = { phone_number: '+12025550143', message: 'Hello from the clinic' };
const LOCKOUT_ENV = { RATE_LIMIT_AUTH_FAILURES_PER_IP: String(FAILURES), TRUST_PROXY_HOPS: '1' };

/** In memory always; through Redis too when REDIS_URL is set (CI), each run with its own keys. */
const STORES: [string, Record<string, string>][] = [
  ['in memory', {}],
  ...(process.env.REDIS_URL
    ? [
        [
          'Redis',
          {
            REDIS_URL: process.env.REDIS_URL,
            REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
          },
        ] as [string, Record<string, string>],
      ]
    : []),
];

/**
 * Each case guesses keys from its own addresses, given as a load balancer would give them
 * (X-Forwarded-For, one trusted hop), so the cases share one app without sharing a counter.
 */
describe.each(STORES)('failed keys lock an address out, right key or not (e2e, %s)', (_, store) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ env: { ...LOCKOUT_ENV, ...store } });
  });
  afterAll(() => app.close());

  let guesses = 0;
  const sendFrom = (address: string, key: string) =>
    request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-Forwarded-For', address)
      .set('X-API-Key', key)
      .send(SEND);
  const guessFrom = (address: string) =>
    sendFrom(address, `wrong-key-${++guesses}-xxxxxxxxxxxxxxxxxxxx`);
  const sent = () => app.get<SandboxProvider>(SMS_PROVIDER).recent().length;

  function expectLockedOut(res: request.Response): void {
    expect(res.status).toBe(429);
    expectErrorContract(res.body, 'RATE_LIMITED');
    expect(res.body.error.details).toMatchObject({ limit: 'auth-failures' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }

  it('refuses the right key from an address past its failures, and not from another address', async () => {
    for (let i = 0; i < FAILURES; i++) await guessFrom('203.0.113.7').expect(401);
    expectLockedOut(await guessFrom('203.0.113.7'));
    const before = sent();
    expectLockedOut(await sendFrom('203.0.113.7', TEST_API_KEY));
    expect(sent()).toBe(before);
    // A read is no way round it either: the block is checked before any key is looked at.
    expectLockedOut(
      await request(app.getHttpServer())
        .get('/api/sandbox/outbox')
        .set('X-Forwarded-For', '203.0.113.7')
        .set('X-API-Key', TEST_API_KEY),
    );
    await sendFrom('203.0.113.8', TEST_API_KEY).expect(201);
  });

  it('counts the addresses of one IPv6 /64 as one address', async () => {
    const sameNetwork = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:aaaa:bbbb:cccc:dddd'];
    for (const address of sameNetwork) await guessFrom(address).expect(401);
    expectLockedOut(await guessFrom('2001:db8:1:2:ffff::9'));
    expectLockedOut(await sendFrom('2001:0db8:0001:0002::abcd', TEST_API_KEY));
    await sendFrom('2001:db8:1:3::1', TEST_API_KEY).expect(201);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    for (let i = 0; i < FAILURES; i++) await guessFrom('::ffff:198.51.100.7').expect(401);
    expectLockedOut(await sendFrom('198.51.100.7', TEST_API_KEY));
  });
});

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

describeWithRedis('a lockout shared through Redis by two instances (e2e)', () => {
  let first: INestApplication;
  let second: INestApplication;
  beforeAll(async () => {
    const env = {
      ...LOCKOUT_ENV,
      REDIS_URL: String(process.env.REDIS_URL),
      REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
    };
    first = await createTestApp({ env });
    second = await createTestApp({ env });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('refuses the right key on one instance after the failures on the other', async () => {
    for (let i = 0; i < FAILURES; i++) {
      await request(first.getHttpServer())
        .post('/api/sms/send')
        .set('X-Forwarded-For', '192.0.2.44')
        .set('X-API-Key', `wrong-key-${i}-xxxxxxxxxxxxxxxxxxxx`)
        .send(SEND)
        .expect(401);
    }
    const res = await request(second.getHttpServer())
      .post('/api/sms/send')
      .set('X-Forwarded-For', '192.0.2.44')
      .set('X-API-Key', TEST_API_KEY)
      .send(SEND);
    expect(res.status).toBe(429);
    expect(res.body.error.details).toMatchObject({ limit: 'auth-failures' });
  });
});
