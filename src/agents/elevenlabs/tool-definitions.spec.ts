import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type * as Wire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import * as serialization from '@elevenlabs/elevenlabs-js/serialization/index.js';
import { ApiProperty, type OpenAPIObject, type SchemaObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { buildOpenApiDocument } from '../../app.setup.js';
import { ToolRequestDto } from '../../tools/dto/tool-request.dto.js';
import { DEFAULT_TOOLS } from '../../tools/default-tools.js';
import { createToolController } from '../rest/tool-controller.factory.js';
import { WAY_IN_TAGS } from '../shared/index.js';
import { defineTool, type ToolDefinition } from '../../tools/tool-definition.js';
import {
  buildElevenLabsTools,
  responseTimeoutSecs,
  type ElevenLabsToolBody,
  type ToolExportSettings,
} from './tool-definitions.js';

/** The OpenAPI document of an app serving these tools, as /docs-json would serve it. */
async function openApiFor(tools: readonly ToolDefinition[]): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({
    controllers: tools.map(createToolController),
    providers: [{ provide: WAY_IN_TAGS, useValue: [] }],
  })
    // The controllers' services and guards are never called: documenting needs only their shape.
    .useMocker(() => ({}))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

const SETTINGS: ToolExportSettings = {
  publicBaseUrl: 'https://gateway.example.com',
  requestDeadlineMs: 10_000,
  recipientPolicy: 'any',
  secretId: 'secret_0123',
};

type Property = Record<string, unknown>;

// The dialect, written out here rather than imported, so the spec checks the builder.
const VALUE_SOURCES = ['description', 'dynamic_variable', 'constant_value', 'is_omitted'];
const ALLOWED_KEYS: Record<string, string[]> = {
  literal: ['type', 'enum', ...VALUE_SOURCES],
  object: ['type', 'properties', 'required', ...VALUE_SOURCES],
  array: ['type', 'items', ...VALUE_SOURCES],
};
const FORBIDDEN_ANYWHERE = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'example',
  'examples',
  'default',
  'nullable',
  '$ref',
  'allOf',
  'oneOf',
  'anyOf',
];

/** Every property of a body schema with its path, nested ones and array items included. */
function walk(schema: Property, path: string): [string, Property][] {
  const found: [string, Property][] = [];
  if (schema.type === 'object') {
    for (const [name, child] of Object.entries(schema.properties as Record<string, Property>)) {
      found.push([`${path}.${name}`, child], ...walk(child, `${path}.${name}`));
    }
  }
  if (schema.type === 'array') {
    const items = schema.items as Property;
    found.push([`${path}[]`, items], ...walk(items, `${path}[]`));
  }
  return found;
}

function kindOf(property: Property): string {
  return property.type === 'object' || property.type === 'array' ? property.type : 'literal';
}

function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...keysDeep(child)]);
}

function bodySchema(body: ElevenLabsToolBody): Property {
  return body.tool_config.api_schema.request_body_schema as Property;
}

function propertiesOf(body: ElevenLabsToolBody): Record<string, Property> {
  return bodySchema(body).properties as Record<string, Property>;
}

function toolNamed(bodies: ElevenLabsToolBody[], name: string): ElevenLabsToolBody {
  const body = bodies.find((b) => b.tool_config.name === name);
  if (!body) throw new Error(`no exported tool ${name}`);
  return body;
}

/** The DTO schema the document holds for a tool, to compare the export against. */
function dtoSchema(document: OpenAPIObject, path: string): SchemaObject {
  const body = document.paths[path].post?.requestBody as {
    content: Record<string, { schema: { $ref: string } }>;
  };
  const ref = body.content['application/json'].schema.$ref;
  return document.components?.schemas?.[ref.split('/').pop() as string] as SchemaObject;
}

describe('buildElevenLabsTools', () => {
  let document: OpenAPIObject;
  let bodies: ElevenLabsToolBody[];

  beforeAll(async () => {
    document = await openApiFor(DEFAULT_TOOLS);
    bodies = buildElevenLabsTools(document, DEFAULT_TOOLS, SETTINGS);
  });

  const PATHS = DEFAULT_TOOLS.map((t) => [t.name, `/api/sms/${t.path}`]);

  it('exports one webhook tool per registered tool, in registry order', () => {
    expect(bodies.map((b) => [b.tool_config.type, b.tool_config.name])).toEqual(
      DEFAULT_TOOLS.map((t) => ['webhook', t.name]),
    );
  });

  it.each(PATHS)(
    '%s posts JSON to PUBLIC_BASE_URL + %s with the secret header, passthrough errors and a timeout above the deadline',
    (name, path) => {
      const { tool_config: config } = toolNamed(bodies, name);

      expect(config.api_schema).toMatchObject({
        url: `https://gateway.example.com${path}`,
        method: 'POST',
        request_headers: { 'X-API-Key': { secret_id: 'secret_0123' } },
      });
      expect(Object.keys(config.api_schema).sort()).toEqual(
        ['method', 'request_body_schema', 'request_headers', 'url'].sort(),
      );
      expect(config.tool_error_handling_mode).toBe('passthrough');
      expect(config.response_timeout_secs).toBe(15);
      expect(config.description).toBe(DEFAULT_TOOLS.find((t) => t.name === name)?.description);
    },
  );

  it('walks every property of every tool: exactly one value source, only keys the dialect accepts', () => {
    let checked = 0;
    for (const body of bodies) {
      for (const [path, property] of walk(bodySchema(body), body.tool_config.name)) {
        const sources = VALUE_SOURCES.filter((key) => property[key] !== undefined);
        expect({ path, sources: sources.length }).toEqual({ path, sources: 1 });
        const extra = Object.keys(property).filter(
          (k) => !ALLOWED_KEYS[kindOf(property)].includes(k),
        );
        expect({ path, extra }).toEqual({ path, extra: [] });
        expect(['string', 'integer', 'number', 'boolean', 'object', 'array']).toContain(
          property.type,
        );
        if (property.enum !== undefined) {
          expect(property.type).toBe('string');
          expect((property.enum as unknown[]).every((v) => typeof v === 'string')).toBe(true);
        }
        checked += 1;
      }
    }
    // The context fields on each tool, plus their own fields.
    expect(checked).toBeGreaterThanOrEqual(5 * DEFAULT_TOOLS.length + 11);
  });

  it('leaves no format, pattern, length, example or $ref anywhere', () => {
    const keys = new Set(bodies.flatMap((b) => keysDeep(b.tool_config)));
    expect(FORBIDDEN_ANYWHERE.filter((key) => keys.has(key))).toEqual([]);
  });

  it.each(PATHS)('%s keeps the fields and required list of its DTO', (name, path) => {
    const dto = dtoSchema(document, path);
    const body = toolNamed(bodies, name);

    expect(Object.keys(propertiesOf(body))).toEqual(Object.keys(dto.properties ?? {}));
    expect(bodySchema(body).required).toEqual(dto.required);
  });

  /** What the shipped tools ask the agent for: a field made optional or required changes calls. */
  const SHIPPED_REQUIRED: Record<string, string[]> = {
    send_sms: ['phone_number', 'message'],
    send_copay_card: ['phone_number', 'patient_name', 'copay_url'],
    send_prescription_reminder: ['phone_number', 'patient_name', 'medication_name'],
    send_prior_auth_update: ['phone_number', 'patient_name', 'status'],
    send_appointment_confirmation: ['phone_number', 'patient_name', 'appointment_time'],
  };

  it.each(Object.entries(SHIPPED_REQUIRED))('%s still requires %j', (name, required) => {
    expect(bodySchema(toolNamed(bodies, name)).required).toEqual(required);
  });

  it('keeps enums, with the description the LLM reads', () => {
    expect(propertiesOf(toolNamed(bodies, 'send_prior_auth_update')).status).toEqual({
      type: 'string',
      description: 'Where the prior authorization stands. The text does not name the drug.',
      enum: ['approved', 'denied', 'pending'],
    });
  });

  it('gives every LLM-filled field the description from its DTO', () => {
    for (const [name, path] of PATHS) {
      const dto = dtoSchema(document, path).properties as Record<string, SchemaObject>;
      for (const [field, property] of Object.entries(propertiesOf(toolNamed(bodies, name)))) {
        if (property.description !== undefined) {
          expect(property.description).toBe(dto[field].description);
        }
      }
    }
  });

  it.each(DEFAULT_TOOLS.map((t) => t.name))(
    '%s binds conversation_id, caller_id and agent_id to system variables and asks the LLM for language',
    (name) => {
      const properties = propertiesOf(toolNamed(bodies, name));

      expect(properties.conversation_id).toEqual({
        type: 'string',
        dynamic_variable: 'system__conversation_id',
      });
      expect(properties.caller_id).toEqual({
        type: 'string',
        dynamic_variable: 'system__caller_id',
      });
      expect(properties.agent_id).toEqual({ type: 'string', dynamic_variable: 'system__agent_id' });
      expect(properties.language).toEqual({ type: 'string', description: expect.any(String) });
      // Web and test conversations lack these variables: they must stay optional.
      const required = bodySchema(toolNamed(bodies, name)).required as string[];
      for (const field of ['conversation_id', 'caller_id', 'agent_id', 'language']) {
        expect(required).not.toContain(field);
      }
    },
  );

  it('asks the LLM for phone_number when any recipient is allowed', () => {
    for (const body of bodies) {
      expect(propertiesOf(body).phone_number).toEqual({
        type: 'string',
        description: expect.stringContaining('mobile number'),
      });
    }
  });

  it('binds phone_number to system__caller_id under RECIPIENT_POLICY=caller_only, still required', () => {
    const callerOnly = buildElevenLabsTools(document, DEFAULT_TOOLS, {
      ...SETTINGS,
      recipientPolicy: 'caller_only',
    });

    for (const body of callerOnly) {
      expect(propertiesOf(body).phone_number).toEqual({
        type: 'string',
        dynamic_variable: 'system__caller_id',
      });
      expect(bodySchema(body).required).toContain('phone_number');
    }
  });

  it('joins a base URL with a path prefix and a trailing slash', () => {
    const [body] = buildElevenLabsTools(document, DEFAULT_TOOLS, {
      ...SETTINGS,
      publicBaseUrl: 'https://example.org/gateway/',
    });

    expect(body.tool_config.api_schema.url).toBe('https://example.org/gateway/api/sms/send');
  });

  it('matches the SDK request types: at compile time, and its wire schema at run time', () => {
    // Compile time: the bodies are the SDK's own wire type for POST /v1/convai/tools ...
    const wire: Wire.ToolRequestModel.Raw[] = bodies;
    // ... which rejects a mode the API does not have.
    const invalid: Wire.ToolRequestModelToolConfig.Webhook = {
      ...bodies[0].tool_config,
      // @ts-expect-error 'loud' is not a ToolErrorHandlingMode
      tool_error_handling_mode: 'loud',
    };
    expect(invalid.name).toBe('send_sms');

    for (const body of wire) {
      const model: ElevenLabs.ToolRequestModel = serialization.ToolRequestModel.parseOrThrow(body, {
        unrecognizedObjectKeys: 'fail',
      });
      expect(model.toolConfig.type).toBe('webhook');
    }
  });

  describe('follows the DTOs', () => {
    class SendLabReadyDto extends ToolRequestDto {
      @ApiProperty({ description: 'Which lab.', enum: ['blood', 'imaging'], example: 'blood' })
      @IsIn(['blood', 'imaging'])
      lab: 'blood' | 'imaging';
    }

    /** The same DTO, one field later. */
    class SendLabReadyWithClinicDto extends SendLabReadyDto {
      @ApiProperty({
        description: 'The clinic that took the sample.',
        required: false,
        example: 'North',
        maxLength: 50,
      })
      @IsOptional()
      @IsString()
      clinic?: string;
    }

    const labTool = (requestDto: typeof SendLabReadyDto) =>
      defineTool({
        name: 'send_lab_ready',
        path: 'send-lab-ready',
        summary: 'Tell the patient a lab result is ready',
        description: 'Use when the patient asks whether their lab result is in.',
        label: 'the lab notice',
        requestDto,
        template: 'Your {{lab}} results are ready.',
        variables: ['lab'],
        toVariables: (dto: SendLabReadyDto) => ({ lab: dto.lab }),
      });

    async function exportOf(requestDto: typeof SendLabReadyDto): Promise<ElevenLabsToolBody> {
      const tools = [...DEFAULT_TOOLS, labTool(requestDto)];
      return toolNamed(
        buildElevenLabsTools(await openApiFor(tools), tools, SETTINGS),
        'send_lab_ready',
      );
    }

    it('exports a newly registered tool with its own fields', async () => {
      const body = await exportOf(SendLabReadyDto);

      expect(body.tool_config.api_schema.url).toBe(
        'https://gateway.example.com/api/sms/send-lab-ready',
      );
      expect(propertiesOf(body).lab).toEqual({
        type: 'string',
        description: 'Which lab.',
        enum: ['blood', 'imaging'],
      });
      expect(bodySchema(body).required).toEqual(['phone_number', 'lab']);
    });

    it('changes the exported schema when the DTO gains a field, and nothing else', async () => {
      const before = await exportOf(SendLabReadyDto);
      const after = await exportOf(SendLabReadyWithClinicDto);

      const { clinic, ...rest } = propertiesOf(after);
      expect(clinic).toEqual({ type: 'string', description: 'The clinic that took the sample.' });
      expect(rest).toEqual(propertiesOf(before));
      expect(bodySchema(after).required).toEqual(bodySchema(before).required);
    });

    it('refuses a field the agent would not be told about', async () => {
      class UndescribedDto extends ToolRequestDto {
        @ApiProperty({ example: 'x' })
        @IsString()
        mystery: string;
      }
      const tools = [
        defineTool({
          ...labTool(SendLabReadyDto),
          requestDto: UndescribedDto,
          template: 'Ready.',
          variables: [],
          toVariables: () => ({}),
        }),
      ];

      const document = await openApiFor(tools);
      expect(() => buildElevenLabsTools(document, tools, SETTINGS)).toThrow(
        'Cannot export send_lab_ready to ElevenLabs: the request body.mystery has no description for the agent',
      );
    });
  });
});

describe('buildElevenLabsTools on hand-written documents', () => {
  const tool = { name: 'book_visit', description: 'Book a visit.' };

  function documentWith(schemas: Record<string, SchemaObject>): OpenAPIObject {
    return {
      openapi: '3.0.0',
      info: { title: 'test', version: '1' },
      paths: {
        '/api/visits': {
          post: {
            operationId: 'book_visit',
            summary: 'Book a visit',
            responses: {},
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Visit' } } },
            },
          },
        },
      },
      components: { schemas },
    };
  }

  it('resolves $ref and allOf inheritance, nested objects and arrays', () => {
    const document = documentWith({
      Base: {
        type: 'object',
        properties: {
          phone_number: { type: 'string', description: 'Number.', minLength: 3 },
          conversation_id: { type: 'string', description: 'Bind me.' },
        },
        required: ['phone_number'],
      },
      Address: {
        type: 'object',
        description: 'Where.',
        properties: { city: { type: 'string', description: 'City.', pattern: '^[A-Z]' } },
        required: ['city'],
      },
      Visit: {
        allOf: [
          { $ref: '#/components/schemas/Base' },
          {
            type: 'object',
            properties: {
              address: { $ref: '#/components/schemas/Address' },
              slots: {
                type: 'array',
                description: 'Times.',
                items: { type: 'string', format: 'date-time' },
              },
              seats: { type: 'integer', description: 'How many.', enum: [1, 2] },
            },
            required: ['address'],
          },
        ],
      },
    });

    const [body] = buildElevenLabsTools(document, [tool], SETTINGS);

    expect(body.tool_config.api_schema).toEqual({
      url: 'https://gateway.example.com/api/visits',
      method: 'POST',
      request_headers: { 'X-API-Key': { secret_id: 'secret_0123' } },
      request_body_schema: {
        type: 'object',
        description: 'Book a visit',
        properties: {
          phone_number: { type: 'string', description: 'Number.' },
          conversation_id: { type: 'string', dynamic_variable: 'system__conversation_id' },
          address: {
            type: 'object',
            description: 'Where.',
            properties: { city: { type: 'string', description: 'City.' } },
            required: ['city'],
          },
          slots: {
            type: 'array',
            description: 'Times.',
            items: { type: 'string', description: 'Times.' },
          },
          seats: { type: 'integer', description: 'How many. One of: 1, 2.' },
        },
        required: ['phone_number', 'address'],
      },
    });
  });

  it('names an operation the document lacks', () => {
    expect(() =>
      buildElevenLabsTools(documentWith({}), [{ name: 'send_fax', description: '' }], SETTINGS),
    ).toThrow('The OpenAPI document has no POST operation "send_fax"');
  });

  it('refuses a schema the dialect cannot express', () => {
    const document = documentWith({
      Visit: {
        type: 'object',
        properties: {
          when: { description: 'Either.', oneOf: [{ type: 'string' }, { type: 'integer' }] },
        },
      },
    });

    expect(() => buildElevenLabsTools(document, [tool], SETTINGS)).toThrow(
      'the request body.when uses oneOf/anyOf/not',
    );
  });
});

describe('responseTimeoutSecs', () => {
  it.each([
    [10_000, 15],
    [1_000, 6],
    [9_001, 15],
    [60_000, 65],
    [0, 5],
    [400_000, 300],
  ])('gives the agent more than a %i ms deadline: %i s', (deadline, secs) => {
    expect(responseTimeoutSecs(deadline)).toBe(secs);
  });
});
