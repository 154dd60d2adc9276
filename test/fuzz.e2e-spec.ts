import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { contractProblems } from './support/error-contract.js';
import { createTestApp, TEST_ADMIN_KEY } from './support/test-app.js';
import { startTwilioStub, twilioStubEnv, type TwilioStub } from './support/twilio-stub.js';

/**
 * Generated requests over every POST endpoint of the service's own OpenAPI document and both
 * Twilio webhooks (signed like Twilio): valid-ish bodies from each schema, with wrong types,
 * missing and unknown fields, odd text and broken JSON mixed in. Whatever arrives, the answer
 * is never a 5xx, and every refusal is in the error contract.
 *
 * FUZZ_SEED reproduces a run (the seed is printed); FUZZ_RUNS sets the requests per endpoint.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS_PER_ENDPOINT = Number(process.env.FUZZ_RUNS ?? 300);

const AUTH_TOKEN = 'fuzz-test-auth-token';
const PUBLIC_BASE_URL = 'https://gateway.example.com';
const FORM = 'application/x-www-form-urlencoded';

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};
type OpenApi = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
};

interface GeneratedRequest {
  contentType: string;
  body: string;
  query?: string;
  /** Signed with the test auth token, or a wrong signature. */
  signed?: boolean;
  fields?: Record<string, string | string[]>;
}

/** Text that has broken parsers, validators or log masking somewhere. */
const ODD_TEXT = [
  '',
  ' ',
  '+12025550143',
  '(202) 555-0143',
  '127.0.0.1:5432',
  'STOP',
  'start',
  '\u0000',
  '\uD800',
  '👍🏽 Envío',
  '<Response><Redirect>x</Redirect></Response>',
  '{{message}}',
  '${process.env}',
  '__proto__',
  'https://bit.ly/x',
  'a'.repeat(2000),
  '2026-13-45T25:61:00Z',
  'NaN',
  '-1',
];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...ODD_TEXT),
  fc.constantFrom(null, true, false, 0, -1, 1e308, [], {}, [[[[[]]]]]),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.anything({ maxDepth: 4, maxKeys: 4 }),
);

function resolve(schema: Schema, doc: OpenApi): Schema {
  return schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop() as string] : schema;
}

/** Mostly a value the schema allows (or nearly), sometimes anything at all. */
function valueFor(schema: Schema, doc: OpenApi, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  if (depth > 4) return junk;
  const candidates: fc.Arbitrary<unknown>[] = [];
  // The documented example is valid by construction: lean on it so many requests get through.
  // Its phone numbers are reserved (555-01xx), which the Twilio transport refuses: swap in
  // assigned ones so sends get past the number check.
  const example =
    s.example === '+15551234567'
      ? fc.constantFrom('+12025550143', '+13125550123', '+14155550199')
      : s.example !== undefined
        ? fc.constant(s.example)
        : undefined;
  if (s.enum) candidates.push(fc.constantFrom(...s.enum));
  switch (s.type) {
    case 'string':
      candidates.push(
        fc.string({ minLength: s.minLength ?? 0, maxLength: (s.maxLength ?? 64) + 2 }),
        fc.constantFrom(...ODD_TEXT),
      );
      break;
    case 'integer':
      candidates.push(fc.integer({ min: (s.minimum ?? -10) - 1, max: (s.maximum ?? 1000) + 1 }));
      break;
    case 'number':
      candidates.push(fc.double({ noNaN: true }));
      break;
    case 'boolean':
      candidates.push(fc.boolean());
      break;
    case 'array':
      candidates.push(fc.array(valueFor(s.items ?? {}, doc, depth + 1), { maxLength: 4 }));
      break;
    case 'object':
      if (s.properties) candidates.push(objectFor(s, doc, depth + 1));
      break;
  }
  if (candidates.length === 0 && !example) return junk;
  return fc.oneof(
    ...(example ? [{ arbitrary: example, weight: 40 }] : []),
    ...(candidates.length > 0 ? [{ arbitrary: fc.oneof(...candidates), weight: 3 }] : []),
    { arbitrary: junk, weight: 1 },
  );
}

/** Some of the schema's fields (all of them most often), and now and then one it lacks. */
function objectFor(schema: Schema, doc: OpenApi, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(schema, doc);
  if (s.oneOf) {
    const mapping = Object.entries(s.discriminator?.mapping ?? {});
    return fc.oneof(
      ...mapping.map(([name, ref]) =>
        objectFor({ $ref: ref }, doc, depth).map((o) => ({
          [s.discriminator!.propertyName]: name,
          ...o,
        })),
      ),
    );
  }
  const properties = Object.fromEntries(
    Object.entries(s.properties ?? {}).map(([name, prop]) => [name, valueFor(prop, doc, depth)]),
  );
  const complete = fc.record(properties);
  const partial = fc.record(properties, { requiredKeys: [] });
  return fc
    .tuple(
      fc.oneof({ arbitrary: complete, weight: 3 }, { arbitrary: partial, weight: 2 }),
      // One body in eight carries a field the schema lacks (refused: forbidNonWhitelisted).
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 7 },
        { arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), junk, { maxKeys: 2 }), weight: 1 },
      ),
    )
    .map(([known, extra]) => ({ ...(extra ?? {}), ...known }));
}

function jsonRequests(schema: Schema, doc: OpenApi): fc.Arbitrary<GeneratedRequest> {
  const json = objectFor(schema, doc).map((body) => ({
    contentType: 'application/json',
    body: JSON.stringify(body),
  }));
  const broken = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom('{', '[]', 'null', '"text"', '{"a":1}}', '{"phone_number":+1}'),
  );
  return fc.oneof(
    { arbitrary: json, weight: 12 },
    { arbitrary: broken.map((body) => ({ contentType: 'application/json', body })), weight: 1 },
    { arbitrary: json.map((r) => ({ ...r, contentType: FORM })), weight: 1 },
  );
}

function formRequests(schema: Schema, doc: OpenApi): fc.Arbitrary<GeneratedRequest> {
  const s = resolve(schema, doc);
  const text: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom(...ODD_TEXT),
    fc.string({ maxLength: 40 }),
  );
  const fieldValue = (prop: Schema): fc.Arbitrary<string | string[]> =>
    fc.oneof(
      { arbitrary: prop.enum ? fc.constantFrom(...(prop.enum as string[])) : text, weight: 4 },
      {
        arbitrary: typeof prop.example === 'string' ? fc.constant(prop.example) : text,
        weight: 4,
      },
      // A field sent twice arrives as an array.
      { arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }), weight: 1 },
    );
  const known = fc.record(
    Object.fromEntries(Object.entries(s.properties ?? {}).map(([n, p]) => [n, fieldValue(p)])),
    { requiredKeys: [] },
  );
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), text, { maxKeys: 3 });
  return fc
    .record({
      fields: fc
        .tuple(known, extra)
        .map(([k, e]) => ({ ...e, ...k }) as Record<string, string | string[]>),
      signed: fc.oneof(
        { arbitrary: fc.constant(true), weight: 15 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      query: fc.option(
        fc
          .oneof(fc.uuid(), fc.constantFrom('not-a-uuid', '+12025550143'))
          .map((id) => `message_id=${encodeURIComponent(id)}`),
        { freq: 3 },
      ),
      contentType: fc.oneof(
        { arbitrary: fc.constant(FORM), weight: 12 },
        { arbitrary: fc.constantFrom('text/plain', 'application/json'), weight: 1 },
      ),
    })
    .map(({ fields, signed, query, contentType }) => ({
      fields,
      signed,
      query: query ?? undefined,
      contentType,
      body: new URLSearchParams(
        Object.entries(fields).flatMap(([k, v]): Array<[string, string]> =>
          Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]],
        ),
      ).toString(),
    }));
}

describe('generated requests over every POST endpoint (e2e, fuzz)', () => {
  let stub: TwilioStub;
  let app: INestApplication;
  let baseUrl: string;
  let doc: OpenApi;
  /** Answers by endpoint and status, printed at the end: shows how far past validation it got. */
  const seen = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS_PER_ENDPOINT} (per endpoint)`);
    stub = await startTwilioStub();
    app = await createTestApp({
      // Their own auth token: the specs sign webhooks with it.
      env: twilioStubEnv(stub, { TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL }),
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    doc = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApi;
  });
  afterAll(async () => {
    const lines = [...seen].map(
      ([path, statuses]) =>
        `${path}: ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    );
    console.log(`fuzz: answers by status\n${lines.join('\n')}`);
    await app.close();
    await stub.close();
  });

  async function post(path: string, req: GeneratedRequest): Promise<void> {
    const url = `${path}${req.query ? `?${req.query}` : ''}`;
    const headers: Record<string, string> = { 'Content-Type': req.contentType };
    if (path.startsWith('/api/twilio/')) {
      const params = req.contentType === FORM ? (req.fields ?? {}) : {};
      headers['X-Twilio-Signature'] = req.signed
        ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${url}`, params as never)
        : 'bm90IGEgc2lnbmF0dXJl';
    } else {
      headers['X-API-Key'] = TEST_ADMIN_KEY;
    }
    const res = await fetch(`${baseUrl}${url}`, { method: 'POST', headers, body: req.body });
    const statuses = seen.get(path) ?? new Map<number, number>();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    seen.set(path, statuses);
    const text = await res.text();
    const reproduce = `POST ${url} (${req.contentType}) ${req.body.slice(0, 300)}`;
    expect([res.status < 500, reproduce, res.status]).toEqual([true, reproduce, res.status]);
    if (res.status >= 400) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      expect([contractProblems(body), reproduce]).toEqual([[], reproduce]);
    }
  }

  it('every POST endpoint in the document is covered, the webhooks included', () => {
    const posts = Object.entries(doc.paths)
      .filter(([, ops]) => ops.post)
      .map(([p]) => p);
    expect(posts).toEqual(
      expect.arrayContaining([
        '/api/sms/send',
        '/api/sms/preview',
        '/api/consent',
        '/api/twilio/status',
        '/api/twilio/inbound',
      ]),
    );
  });

  it('answers no generated request with a 5xx or outside the error contract', async () => {
    const endpoints = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        ops.post?.requestBody ? [[path, ops.post.requestBody] as const] : [],
      )
      .map(([path, requestBody]) => {
        const content = requestBody.content;
        const [type, { schema }] = Object.entries(content)[0];
        return {
          path,
          requests: type === FORM ? formRequests(schema, doc) : jsonRequests(schema, doc),
        };
      });
    for (const [i, { path, requests }] of endpoints.entries()) {
      await fc.assert(
        fc.asyncProperty(requests, (req) => post(path, req)),
        { seed: SEED + i, numRuns: RUNS_PER_ENDPOINT, endOnFailure: true },
      );
    }
  }, 600_000);
});
