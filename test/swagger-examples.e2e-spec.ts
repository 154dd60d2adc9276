import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import request from 'supertest';
import { Clock } from '../src/common/clock.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** A clock stuck at one instant, as if the service ran on that day. */
class FixedClock extends Clock {
  constructor(private readonly instant: Date) {
    super();
  }
  override now(): Date {
    return new Date(this.instant);
  }
}

/** The body Swagger UI's "Try it out" fills in: every property's example, as documented. */
function exampleBody(document: OpenAPIObject, path: string): Record<string, unknown> {
  const content = document.paths[path].post?.requestBody as
    { content: Record<string, { schema: SchemaObject | ReferenceObject }> } | undefined;
  const declared = content?.content['application/json'].schema;
  const schema: SchemaObject | ReferenceObject | undefined =
    declared && '$ref' in declared
      ? document.components?.schemas?.[declared.$ref.split('/').pop() as string]
      : declared;
  const properties = schema && 'properties' in schema ? (schema.properties ?? {}) : {};
  return Object.fromEntries(
    Object.entries(properties)
      .map(([name, property]) => [name, (property as SchemaObject).example] as const)
      .filter(([, example]) => example !== undefined),
  );
}

/** Every texting tool the service ships, as Swagger UI lists them. */
const TOOL_PATHS = DEFAULT_TOOLS.map((tool) => `/api/sms/${tool.path}`);

// Days the old fixed examples had long expired on, a leap day, and late evening (UTC-05:00)
// on New Year's Eve, when "tomorrow" is another year.
const DAYS = ['2031-07-04T14:00:00Z', '2028-02-29T12:00:00Z', '2027-01-01T04:30:00Z'];

describe.each(DAYS)("Swagger UI's example bodies on %s (e2e)", (day) => {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => {
    const clock = new FixedClock(new Date(day));
    app = await createTestApp({
      override: (builder) => builder.overrideProvider(Clock).useValue(clock),
    });
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await app.close();
  });

  it('give send_at, refill_date and appointment_time ahead of that day', () => {
    const reminder = exampleBody(document, '/api/sms/send-prescription-reminder');
    const appointment = exampleBody(document, '/api/sms/send-appointment-confirmation');
    const now = new Date(day).getTime();
    const sendAt = new Date(String(reminder.send_at)).getTime();
    expect(sendAt - now).toBeGreaterThanOrEqual(15 * 60_000);
    expect(sendAt - now).toBeLessThanOrEqual(35 * 86_400_000);
    expect(new Date(String(appointment.appointment_time)).getTime()).toBeGreaterThan(now);
    expect(String(reminder.refill_date) > day.slice(0, 10)).toBe(true);
  });

  it.each(TOOL_PATHS)('%s: the example body, sent as it is, is accepted (201)', async (path) => {
    const res = await request(app.getHttpServer())
      .post(path)
      .set('X-API-Key', TEST_API_KEY)
      .send(exampleBody(document, path));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({
      status: 201,
      code: undefined,
    });
    expect(res.body.success).toBe(true);
  });
});
