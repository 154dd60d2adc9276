import type { INestApplication } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { Clock } from '../src/common/clock.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { LineTypeEntity } from '../src/policy/line-type.entity.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** Assigned US numbers: the Twilio transport refuses unassigned ones before any lookup. */
const MOBILE = '+12025550143';
const LANDLINE = '+12025550144';
const FIXED_VOIP = '+12025550145';
const NON_FIXED_VOIP = '+12025550147';

class MovableClock extends Clock {
  current = new Date('2026-11-25T15:00:00Z');
  override now(): Date {
    return new Date(this.current);
  }
}

describe('line type before the first text, through Twilio Lookup v2 (contract)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  const clock = new MovableClock();
  let n = 0;

  beforeAll(async () => {
    stub = await startTwilioStub();
    app = await createTestApp({
      env: twilioStubEnv(stub, { LINE_TYPE_CHECK: 'on' }),
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
  });
  afterAll(async () => {
    await app.close();
    await stub.close();
  });
  beforeEach(async () => {
    stub.reset();
    stub.setLineTypes({
      [LANDLINE]: 'landline',
      [FIXED_VOIP]: 'fixedVoip',
      [NON_FIXED_VOIP]: 'nonFixedVoip',
    });
    clock.current = new Date('2026-11-25T15:00:00Z');
    await app.get(DataSource).getRepository(LineTypeEntity).clear();
  });

  const send = (phone: string) =>
    request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: phone, message: `Your refill is ready (${++n}).` });

  it.each([
    ['a landline', LANDLINE],
    ['a fixed VoIP line', FIXED_VOIP],
  ])('refuses %s before any Messages call, asking for a mobile number', async (_, phone) => {
    const res = await send(phone).expect(422);

    expect(res.body).toMatchObject({
      success: false,
      error: { code: 'RECIPIENT_NOT_MOBILE', retryable: false },
    });
    expect(res.body.agent_message).toMatch(/mobile number/);
    expect(stub.lookups).toBe(1);
    expect(stub.creates).toBe(0);
    const refusals = await app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .findBy({ action: 'sms.rejected', requestId: res.body.request_id });
    expect(refusals).toHaveLength(1);
  });

  it('asks Twilio once per number within the TTL, and again after it', async () => {
    await send(LANDLINE).expect(422);
    await send(LANDLINE).expect(422);
    expect(stub.lookups).toBe(1);

    await send(MOBILE).expect(201);
    await send(MOBILE).expect(201);
    expect(stub.lookups).toBe(2);
    expect(stub.creates).toBe(2);

    clock.current = new Date('2026-12-25T15:00:01Z'); // 30 days and a second later
    await send(MOBILE).expect(201);
    expect(stub.lookups).toBe(3);
  });

  it('keeps the answer by recipient hash only, never the number', async () => {
    await send(LANDLINE).expect(422);
    const rows = await app.get(DataSource).getRepository(LineTypeEntity).find();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'landline', carrier: 'Stub Carrier' });
    expect(JSON.stringify(rows)).not.toContain(LANDLINE.slice(2));
  });

  it('lets non-fixed VoIP through by default', async () => {
    await send(NON_FIXED_VOIP).expect(201);
    expect(stub.creates).toBe(1);
  });

  it('counts lookups, cache hits and refusals', async () => {
    await send(LANDLINE).expect(422);
    await send(LANDLINE).expect(422);
    const metrics = await app.get(MetricsService).render();
    expect(metrics).toMatch(/^line_type_lookups_total\{outcome="success"\} [1-9]/m);
    expect(metrics).toMatch(/^line_type_cache_hits_total [1-9]/m);
    expect(metrics).toMatch(/^line_type_refusals_total\{line_type="landline"\} [1-9]/m);
  });

  it("adds one lookup's price to the preview's estimate", async () => {
    const res = await request(app.getHttpServer())
      .post('/api/sms/preview')
      .set('X-API-Key', TEST_API_KEY)
      .send({ tool: 'send_sms', phone_number: MOBILE, message: 'Hello' })
      .expect(200);
    expect(res.body.estimated_cost).toEqual({
      per_segment: 0.0079,
      line_type_lookup: 0.008,
      total: 0.0159,
      currency: 'USD',
    });
    expect(stub.lookups).toBe(0);
  });

  const REFERENCE = join(import.meta.dirname, '..', '..', 'shared', 'reference', 'twilio');
  const SPEC = join(REFERENCE, 'twilio_lookups_v2.json');
  (existsSync(SPEC) ? it : it.skip)(
    'makes the Lookup request Twilio documents, and the stand-in answers its documented fields',
    async () => {
      await send(MOBILE).expect(201);
      const lookup = stub.requests.find((r) => r.path.startsWith('/v2/'));
      expect(lookup).toBeDefined();
      const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as {
        paths: Record<string, { get?: OpenApiGet }>;
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      };
      const url = new URL(lookup!.path, 'http://stub');
      const [template, item] = Object.entries(spec.paths).find(([t]) =>
        new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(url.pathname),
      )!;
      expect(template).toBe('/v2/PhoneNumbers/{PhoneNumber}');
      expect(lookup!.method).toBe('GET');
      const operation = item.get!;
      const query = operation.parameters.filter((p) => p.in === 'query');
      for (const [name, value] of url.searchParams) {
        const documented = query.find((p) => p.name === name);
        expect({ name, documented: Boolean(documented) }).toEqual({ name, documented: true });
        if (name === 'Fields') {
          // "Possible values are ...": each requested field is one of them.
          const allowed = /Possible values are ([^.]+)\./.exec(documented!.description)![1];
          for (const field of value.split(',')) expect(allowed.split(', ')).toContain(field);
        }
      }
      expect(url.searchParams.get('Fields')).toBe('line_type_intelligence');
      expect(decodeURIComponent(url.pathname.split('/').pop()!)).toBe(MOBILE);
      expect(lookup!.headers.authorization).toMatch(/^Basic /);
      const ref = operation.responses['200'].content['application/json'].schema.$ref;
      const schema = spec.components.schemas[ref.split('/').pop()!];
      expect(Object.keys(lookup!.response!.body).sort()).toEqual(
        Object.keys(schema.properties).sort(),
      );
    },
  );
});

interface OpenApiGet {
  parameters: { name: string; in: string; description: string }[];
  responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
}
