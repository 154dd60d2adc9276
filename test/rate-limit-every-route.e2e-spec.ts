import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { appRoutes, routeName, type AppRoute } from './support/app-routes.js';
import { createTestApp } from './support/test-app.js';

const LIMIT = 2;
/** One key per route, so each route starts from a fresh window of its own. */
const KEYS = Array.from({ length: 64 }, (_, i) => `route-key-${i}-0123456789abcdefghij`);
const ALL_SCOPES = 'sms.send+sms.read+audit.read+admin';
const AUDIT_ONLY = 'audit-only-key-0123456789abcdefghij';

/** Documented as unauthenticated: health checks, Twilio's signed webhooks, the API docs. */
const PUBLIC_ROUTE = /^\/(health\/|docs)|^\/api\/twilio\//;

const BODY_METHODS = new Set(['post', 'put', 'patch']);

describe('the per-key limit counts every authenticated route (e2e)', () => {
  let app: INestApplication;
  let routes: AppRoute[];
  let authenticated: AppRoute[];

  const call = (route: AppRoute, key?: string) => {
    let req = request(app.getHttpServer())[route.method as 'get'](route.path);
    if (key) req = req.set('X-API-Key', key);
    // An empty JSON body: counted at the edge before validation refuses it, so nothing is sent.
    return BODY_METHODS.has(route.method) ? req.send({}) : req;
  };

  beforeAll(async () => {
    app = await createTestApp({
      env: {
        API_KEYS: [
          ...KEYS.map((key, i) => `route-${i}:${key}:${ALL_SCOPES}`),
          `auditor:${AUDIT_ONLY}:audit.read`,
        ].join(','),
        RATE_LIMIT_PER_KEY: String(LIMIT),
      },
    });
    routes = appRoutes(app);
    authenticated = [];
    for (const route of routes) {
      const res = await call(route);
      if (res.status === 401 && res.body?.error?.code === 'UNAUTHORIZED') authenticated.push(route);
    }
  });
  afterAll(() => app.close());

  it('leaves out only the health checks, the Twilio webhooks and the docs', () => {
    expect(authenticated.length).toBeGreaterThan(20);
    expect(authenticated.length).toBeLessThan(KEYS.length);
    const open = routes.filter((r) => !authenticated.includes(r));
    expect(open.map(routeName).filter((name) => !PUBLIC_ROUTE.test(name.split(' ')[1]))).toEqual(
      [],
    );
  });

  it('refuses the request over the limit with 429 on each of them', async () => {
    const unlimited: string[] = [];
    for (const [i, route] of authenticated.entries()) {
      const answers: request.Response[] = [];
      for (let n = 0; n <= LIMIT; n++) answers.push(await call(route, KEYS[i]));
      const over = answers[LIMIT];
      const limited =
        answers.slice(0, LIMIT).every((res) => res.status !== 429) &&
        over.status === 429 &&
        over.body?.error?.details?.limit === 'per-key' &&
        Number(over.headers['retry-after']) > 0;
      const statuses = answers.map((res) => res.status).join(', ');
      if (!limited) unlimited.push(`${routeName(route)} answered ${statuses}`);
    }
    expect(unlimited).toEqual([]);
  });

  it('counts a request refused for a missing scope', async () => {
    const send = () =>
      request(app.getHttpServer())
        .post('/api/sms/send')
        .set('X-API-Key', AUDIT_ONLY)
        .send({ phone_number: '+12025550143', message: 'Hello' });
    for (let n = 0; n < LIMIT; n++) await send().expect(403);
    const res = await send().expect(429);
    expect(res.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'per-key' } });
  });

  it('does not count the public routes (they carry no key to count)', async () => {
    for (let n = 0; n < LIMIT * 3; n++) {
      await request(app.getHttpServer()).get('/health/live').expect(200);
    }
  });

  it('documents 429 on every operation that takes an API key', async () => {
    const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: object }>>;
    };
    const undocumented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => (op.security?.length ?? 0) > 0 && !('429' in op.responses))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undocumented).toEqual([]);
  });
});
