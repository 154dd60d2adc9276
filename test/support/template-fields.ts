import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import request from 'supertest';
import { ToolRegistry } from '../../src/tools/tool-registry.js';
import { TEST_API_KEY } from './test-app.js';
import { exampleArguments } from './tool-examples.js';
import { textsPatient } from '../../src/tools/tool-definition.js';

/** One request field whose value is written into the text a tool sends. */
export interface TemplateField {
  tool: string;
  /** Path under /api/sms. */
  path: string;
  field: string;
  /** The tool's documented example for each required field: a request that sends. */
  base: Record<string, unknown>;
  /** The field's documented example, e.g. an https link for a URL field. */
  example: string;
}

const PROBE = 'Zqxprobe';

/**
 * Every (tool, field) of the running app whose value reaches the text, found without a list:
 * the tools from the registry, their fields from the served OpenAPI document, and for each
 * string field a preview showing whether a probe value comes out in the text (as it is, or
 * after the field's example, for fields that must be links).
 */
export async function templateFields(app: INestApplication): Promise<TemplateField[]> {
  const http = () => request(app.getHttpServer());
  const document = (await http().get('/docs-json').expect(200)).body as OpenAPIObject;
  const fields: TemplateField[] = [];
  for (const tool of app.get(ToolRegistry).all()) {
    if (!textsPatient(tool)) continue;
    const schema = requestSchema(document, tool.name);
    const base = exampleRequest(document, tool.name);
    for (const [field, property] of Object.entries(schema.properties)) {
      if (property.type !== 'string' || property.enum) continue;
      const example = String(property.example ?? '');
      for (const probe of [PROBE, `${example}${PROBE}`]) {
        const res = await http()
          .post('/api/sms/preview')
          .set('X-API-Key', TEST_API_KEY)
          .send({ tool: tool.name, ...base, [field]: probe });
        if (res.status === 200 && String(res.body.text).includes(PROBE)) {
          fields.push({ tool: tool.name, path: tool.path, field, base, example });
          break;
        }
      }
    }
  }
  return fields;
}

/** The tool's documented example for each required field: a request that sends. */
export function exampleRequest(document: OpenAPIObject, tool: string): Record<string, unknown> {
  return exampleArguments(document, tool, requestSchema(document, tool).required);
}

/** A tool's request schema with the properties of the DTOs it extends. */
function requestSchema(
  document: OpenAPIObject,
  tool: string,
): { properties: Record<string, SchemaObject>; required: string[] } {
  const resolve = (part: SchemaObject | ReferenceObject): SchemaObject =>
    '$ref' in part
      ? (document.components?.schemas?.[part.$ref.split('/').pop() as string] as SchemaObject)
      : part;
  const operation = Object.values(document.paths).find((p) => p.post?.operationId === tool)?.post;
  const body = operation?.requestBody as { content: Record<string, { schema: ReferenceObject }> };
  const top = resolve(body.content['application/json'].schema);
  const parts = [top, ...(top.allOf ?? []).map(resolve)];
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<
      string,
      SchemaObject
    >,
    required: parts.flatMap((p) => p.required ?? []),
  };
}
