import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv } from 'ajv';
import request from 'supertest';
import { CONTEXT_FIELDS, toolParameters } from '../src/agents/shared/tool-parameters.js';
import { DEFAULT_TOOLS } from '../src/tools/default-tools.js';
import { createTestApp } from './support/test-app.js';

const TOOLS = DEFAULT_TOOLS.map((tool) => tool.name);

describe("Tool parameters for the platforms' exports, from the served OpenAPI document", () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => {
    app = await createTestApp();
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await app.close();
  });

  /** The example body Swagger UI would send, from the DTO's own examples. */
  function exampleOf(tool: string): Record<string, unknown> {
    const schema = toolParameters(document, tool, 'any');
    const operation = Object.values(document.paths).find((p) => p.post?.operationId === tool)?.post;
    const ref = (
      operation?.requestBody as { content: Record<string, { schema: { $ref: string } }> }
    ).content['application/json'].schema.$ref;
    const dto = document.components?.schemas?.[ref.split('/').pop() as string] as {
      properties: Record<string, { example?: unknown }>;
    };
    const example: Record<string, unknown> = {};
    for (const name of Object.keys(schema.properties ?? {})) {
      const value = dto.properties[name]?.example;
      if (value !== undefined) example[name] = value;
    }
    return example;
  }

  it.each(TOOLS)('%s: self-contained, no OpenAPI-only keywords, accepts its example', (tool) => {
    const schema = toolParameters(document, tool, 'any');

    const text = JSON.stringify(schema);
    expect(text).not.toContain('$ref');
    expect(text).not.toContain('"example"');
    expect(schema.required).toContain('phone_number');
    for (const field of CONTEXT_FIELDS) expect(schema.properties).not.toHaveProperty(field);
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(exampleOf(tool))).toBe(true);
    expect(validate({ ...exampleOf(tool), conversation_id: 'chosen-by-the-llm' })).toBe(false);
  });

  it('does not ask the LLM for the recipient under caller_only', () => {
    const any = toolParameters(document, 'send_copay_card', 'any');
    const callerOnly = toolParameters(document, 'send_copay_card', 'caller_only');

    expect(any.properties).toHaveProperty('phone_number');
    expect(callerOnly.properties).not.toHaveProperty('phone_number');
    expect(callerOnly.required ?? []).not.toContain('phone_number');
    expect(callerOnly.properties).toHaveProperty('patient_name');
  });

  it('names a tool the document does not have', () => {
    expect(() => toolParameters(document, 'send_fax', 'any')).toThrow('send_fax');
  });
});
