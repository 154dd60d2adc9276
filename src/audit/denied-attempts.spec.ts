import type { AuditLogService } from './audit-log.service.js';
import type { AuditEventInput } from './audit-event.js';
import { DENIAL_WINDOW_MS, DeniedAttempts, type Denial } from './denied-attempts.js';

describe('DeniedAttempts', () => {
  let now: number;
  let appended: AuditEventInput[];
  let denied: DeniedAttempts;
  beforeEach(() => {
    now = Date.parse('2026-03-02T15:00:00Z');
    appended = [];
    const audit = {
      append: (event: AuditEventInput) => {
        appended.push(event);
        return Promise.resolve({ seq: appended.length, at: new Date(now), hash: '' });
      },
    } as unknown as AuditLogService;
    denied = new DeniedAttempts(audit, { now: () => new Date(now) });
  });

  const denial = (overrides: Partial<Denial> = {}): Denial => ({
    actor: 'anonymous',
    ip: '203.0.113.7',
    code: 'UNAUTHORIZED',
    httpStatus: 401,
    route: '/api/sms/send',
    requestId: `req-${appended.length}`,
    ...overrides,
  });
  const counts = () => appended.map((e) => e.details?.count);

  it('appends the first denial of a window at once, and the rest as one count when it closes', async () => {
    for (let i = 0; i < 50; i++) await denied.record(denial({ route: `/api/r${i % 3}` }));
    expect(counts()).toEqual([1]);
    expect(appended[0]).toMatchObject({ action: 'auth.denied', requestId: 'req-0' });

    now += DENIAL_WINDOW_MS - 1;
    await denied.sweep();
    expect(counts()).toEqual([1]);
    now += 1;
    await denied.sweep();
    expect(counts()).toEqual([1, 49]);
    expect(appended[1]).toMatchObject({
      requestId: null,
      details: { source: '203.0.113.7', routes: ['/api/r1', '/api/r2', '/api/r0'] },
    });
    await denied.sweep();
    expect(counts()).toEqual([1, 49]);
  });

  it('closes the old window when a denial opens the next one', async () => {
    await denied.record(denial({ requestId: 'first' }));
    await denied.record(denial({ requestId: 'second' }));
    now += DENIAL_WINDOW_MS;
    await denied.record(denial({ requestId: 'third' }));
    expect(counts()).toEqual([1, 1, 1]);
    expect(appended.map((e) => e.requestId)).toEqual(['first', null, 'third']);
  });

  it('keeps one window per source, actor and reason; an IPv6 /64 is one source', async () => {
    await denied.record(denial());
    await denied.record(denial({ ip: '2001:db8:1:2::1' }));
    await denied.record(denial({ ip: '2001:db8:1:2::2' }));
    await denied.record(denial({ code: 'RATE_LIMITED', httpStatus: 429 }));
    await denied.record(denial({ actor: 'twilio', code: 'FORBIDDEN', reason: 'no signature' }));
    await denied.record(denial({ actor: 'twilio', code: 'FORBIDDEN', reason: 'bad signature' }));
    expect(appended.map((e) => e.details?.source)).toEqual([
      '203.0.113.7',
      '2001:db8:1:2::/64',
      '203.0.113.7',
      '203.0.113.7',
      '203.0.113.7',
    ]);
  });

  it('appends what is still counted on shutdown', async () => {
    for (let i = 0; i < 5; i++) await denied.record(denial());
    await denied.beforeApplicationShutdown();
    expect(counts()).toEqual([1, 4]);
  });

  it('puts new sources past 10,000 open windows into one shared window', async () => {
    for (let i = 0; i < 10_000; i++) {
      await denied.record(denial({ ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }));
    }
    for (let i = 0; i < 100; i++) await denied.record(denial({ ip: `172.16.0.${i}` }));
    expect(appended).toHaveLength(10_001);
    expect(appended.at(-1)?.details?.source).toBe('other');
  });

  it('never throws when the audit log cannot be written', async () => {
    const failing = new DeniedAttempts(
      { append: () => Promise.reject(new Error('disk full')) } as unknown as AuditLogService,
      { now: () => new Date(now) },
    );
    await expect(failing.record(denial())).resolves.toBeUndefined();
  });
});
