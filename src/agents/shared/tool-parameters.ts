import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import type { RecipientPolicyMode } from '../../config/policy.config.js';

/** A JSON Schema object, as Vapi, Retell, Bland and MCP take a tool's parameters. */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  [keyword: string]: unknown;
}

/** Fields the platform's call context fills (src/agents/shared/call-context.ts), never the LLM. */
export const CONTEXT_FIELDS = ['conversation_id', 'caller_id', 'agent_id'] as const;

/** The fields the LLM is not asked for under a recipient policy. */
export function boundFields(policy: RecipientPolicyMode): readonly string[] {
  return policy === 'caller_only' ? [...CONTEXT_FIELDS, 'phone_number'] : CONTEXT_FIELDS;
}

/** OpenAPI-only keywords that plain JSON Schema consumers do not know. */
const OPENAPI_ONLY = new Set([
  'example',
  'nullable',
  'readOnly',
  'writeOnly',
  'xml',
  'discriminator',
]);

/**
 * A tool's parameters as a self-contained JSON Schema, read from the OpenAPI document the
 * service serves (the DTO stays the one place a field is declared): $refs resolved, allOf
 * flattened, and the fields the platform binds left out.
 */
export function toolParameters(
  document: OpenAPIObject,
  toolName: string,
  policy: RecipientPolicyMode,
): JsonSchema {
  const schema = requestSchemaOf(document, toolName);
  const resolved = resolve(document, schema, new Set());
  const omit = new Set(boundFields(policy));
  const properties = Object.fromEntries(
    Object.entries(resolved.properties ?? {}).filter(([name]) => !omit.has(name)),
  );
  const required = (resolved.required ?? []).filter((name) => name in properties);
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function requestSchemaOf(
  document: OpenAPIObject,
  toolName: string,
): SchemaObject | ReferenceObject {
  for (const item of Object.values(document.paths ?? {})) {
    const operation = item.post;
    if (operation?.operationId !== toolName) continue;
    const body = operation.requestBody;
    const schema = body && !('$ref' in body) ? body.content['application/json']?.schema : undefined;
    if (!schema) throw new Error(`${toolName} has no application/json request body`);
    return schema;
  }
  throw new Error(`The OpenAPI document has no POST operation "${toolName}"`);
}

function resolve(
  document: OpenAPIObject,
  raw: SchemaObject | ReferenceObject,
  seen: Set<string>,
): JsonSchema {
  if ('$ref' in raw) {
    const name = raw.$ref.slice(raw.$ref.lastIndexOf('/') + 1);
    if (seen.has(name)) throw new Error(`The schema ${name} refers to itself`);
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`The OpenAPI document has no schema ${name}`);
    return resolve(document, target, new Set([...seen, name]));
  }
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(raw)) {
    if (OPENAPI_ONLY.has(keyword) || keyword === 'allOf') continue;
    if (keyword === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaObject | ReferenceObject>).map(
          ([name, property]) => [name, resolve(document, property, seen)],
        ),
      );
    } else if (keyword === 'items') {
      out.items = resolve(document, value as SchemaObject | ReferenceObject, seen);
    } else {
      out[keyword] = value;
    }
  }
  // DTO inheritance: the base class's fields and the tool's own, one object.
  for (const part of raw.allOf ?? []) {
    const resolved = resolve(document, part, seen);
    out.properties = { ...resolved.properties, ...out.properties };
    out.required = [...new Set([...(resolved.required ?? []), ...(out.required ?? [])])];
  }
  if (out.properties && !out.type) out.type = 'object';
  return out;
}
