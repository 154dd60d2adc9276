import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Clock } from '../src/common/clock.js';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';
import { recordedText } from './support/recorded-text.js';

const PUBLIC_BASE_URL = 'https://gateway.example.com';
const TWILIO_ENV = {
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: 'audit-noise-auth-token',
  TWILIO_PHONE_NUMBER: '+12025550100',
  PUBLIC_BASE_URL,
};

/** The service's clock, moved by the test: a denial window closes when it says a minute passed. */
class TestClock extends Clock {
  private current = Date.parse('2026-03-02T15:00:00Z');
  override now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

interface AuditEvent {
  seq: number;
  actor: string;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

describe('unauthenticated noise and the audit log (e2e)', () => {
  let app: INestApplication;
  const clock = new TestClock();
  beforeAll(async () => {
    app = await createTestApp({
      env: { ...TWILIO_ENV, TRUST_PROXY_HOPS: '1', RATE_LIMIT_AUTH_FAILURES_PER_IP: '10' },
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  const denials = async (): Promise<AuditEvent[]> =>
    (
      await http()
        .get('/api/audit/events?action=auth.denied&limit=500')
        .set('X-API-Key', TEST_ADMIN_KEY)
        .expect(200)
    ).body.events;
  const countOf = (events: AuditEvent[]) =>
    events.reduce((sum, e) => sum + Number(e.details?.count ?? 0), 0);

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (done(value) || attempt === 50) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('120 wrong keys and unsigned webhooks add a few events whose counts add up, and the chain verifies', async () => {
    const before = await denials();
    const keyStatuses: number[] = [];
    const hookStatuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await http()
        .post('/api/sms/send')
        .set('X-Forwarded-For', '203.0.113.7')
        .set('X-API-Key', `guessed-key-${String(i).padStart(24, '0')}`)
        .send({ phone_number: '+12025550143', message: 'guess' });
      keyStatuses.push(res.status);
      // Every address of one IPv6 /64 is one source.
      const hook = await http()
        .post('/api/twilio/status')
        .set('X-Forwarded-For', `2001:db8:1:2::${(i + 1).toString(16)}`)
        .type('form')
        .send({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' });
      hookStatuses.push(hook.status);
    }
    // Inside the window: one event per source and reason, appended at once.
    const during = (await denials()).slice(before.length);
    expect(during.length).toBeLessThanOrEqual(4);

    // When the window closes, the rest arrive as one event per source and reason, with a count.
    clock.advance(61_000);
    const after = await eventually(
      async () => (await denials()).slice(before.length),
      (events) => countOf(events) >= 120,
    );
    expect(countOf(after)).toBe(120);
    expect(new Set(keyStatuses)).toEqual(new Set([401, 429]));
    expect(new Set(hookStatuses)).toEqual(new Set([403, 429]));
    expect(after.length).toBeLessThanOrEqual(8);
    const bySource = (source: string) => countOf(after.filter((e) => e.details?.source === source));
    expect(bySource('203.0.113.7')).toBe(60);
    expect(bySource('2001:db8:1:2::/64')).toBe(60);
    expect(after.find((e) => e.actor === 'twilio')?.details).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'no X-Twilio-Signature header',
      route: '/api/twilio/status',
    });

    const verify = await http()
      .get('/api/audit/verify')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .expect(200);
    expect(verify.body).toMatchObject({ ok: true, first_broken_seq: null });
  });

  it('limits failed webhook signatures per client like failed API keys: 429 past the limit', async () => {
    const answers = [];
    for (let i = 0; i < 12; i++) {
      const params = { MessageSid: `SM${'1'.repeat(32)}`, MessageStatus: 'delivered' };
      answers.push(
        await http()
          .post('/api/twilio/status')
          .set('X-Forwarded-For', `2001:db8:9:9::${i + 1}`)
          .set('X-Twilio-Signature', 'forged-signature')
          .type('form')
          .send(params),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(403), 429, 429]);
    expectErrorContract(answers[11].body, 'RATE_LIMITED');
    expect(Number(answers[11].headers['retry-after'])).toBeGreaterThan(0);
  });

  it('records the route template, not a number in the path, and still records the denial', async () => {
    const paths = ['+12025550143', '%2B1%20202%20555%200143', '(202)%20555-0143'];
    for (const [i, path] of paths.entries()) {
      const requestId = `noise-number-path-${i}`;
      await http()
        .get(`/api/consent/${path}`)
        .set('X-Forwarded-For', `198.51.100.${i + 1}`)
        .set('X-Request-Id', requestId)
        .expect(401);
      const [event] = await eventually(
        async () =>
          (
            await http()
              .get(`/api/audit/events?request_id=${requestId}`)
              .set('X-API-Key', TEST_ADMIN_KEY)
              .expect(200)
          ).body.events as AuditEvent[],
        (events) => events.length > 0,
      );
      expect(event).toBeDefined();
      expect(event?.details).toMatchObject({
        code: 'UNAUTHORIZED',
        route: '/api/consent/:phone_number',
      });
      expect(recordedText(event)).not.toMatch(/555|0143/);
    }
  });
});
