import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { appRoutes, routeName, type AppRoute } from './support/app-routes.js';
import { rawRequest } from './support/raw-http.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';

/** Only these may be cached: they carry no patient data. */
const CACHEABLE = /^\/(health\/|docs)/;

describe('Cache-Control: no-store on every API answer (e2e)', () => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(() => app.close());

  const call = (route: AppRoute, key?: string) => {
    let req = request(app.getHttpServer())[route.method as 'get'](route.path);
    if (key) req = req.set('X-API-Key', key);
    return ['post', 'put', 'patch'].includes(route.method) ? req.send({}) : req;
  };

  it('marks every route of the router, with a key and without one (errors too)', async () => {
    const routes = appRoutes(app).filter((r) => !CACHEABLE.test(r.template));
    expect(routes.map(routeName)).toEqual(
      expect.arrayContaining([
        'POST /mcp',
        'GET /api/sms/messages/:id',
        'POST /api/vapi/tool-calls',
      ]),
    );
    const unmarked: string[] = [];
    for (const route of routes) {
      for (const key of [TEST_ADMIN_KEY, undefined]) {
        const res = await call(route, key);
        if (res.headers['cache-control'] !== 'no-store') {
          unmarked.push(`${routeName(route)} ${key ? 'with' : 'without'} a key: ${res.status}`);
        }
      }
    }
    expect(unmarked).toEqual([]);
  });

  it('marks an MCP answer, whose headers the MCP SDK writes itself', async () => {
    const res = await request(app.getHttpServer())
      .post('/mcp')
      .set('X-API-Key', TEST_ADMIN_KEY)
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} })
      .expect(200);
    expect(res.body.result.tools.length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['an unknown API path (404)', () => request(app.getHttpServer()).get('/api/nothing-here')],
    [
      'a body that is not JSON (415)',
      () =>
        request(app.getHttpServer())
          .post('/api/sms/send')
          .set('X-API-Key', TEST_ADMIN_KEY)
          .type('form')
          .send('a=b'),
    ],
    [
      'broken JSON (400)',
      () =>
        request(app.getHttpServer())
          .post('/api/sms/send')
          .set('X-API-Key', TEST_ADMIN_KEY)
          .set('Content-Type', 'application/json')
          .send('{"phone_number":'),
    ],
  ])('marks %s', async (_case, send) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("marks the answers to requests Node's parser refuses", async () => {
    const res = await rawRequest(
      port,
      `GET /api/sms/messages/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
