import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/** The request schema of a tool's operation in the served OpenAPI document. */
function requestSchemaOf(document: OpenAPIObject, tool: string): SchemaObject {
  const operation = Object.values(document.paths).find((p) => p.post?.operationId === tool)?.post;
  const body = operation?.requestBody as { content: Record<string, { schema: ReferenceObject }> };
  const ref = body.content['application/json'].schema.$ref;
  return document.components?.schemas?.[ref.split('/').pop() as string] as SchemaObject;
}

/**
 * What an LLM that follows the tool's description would send for these fields: the example the
 * tool's own DTO documents for each (its own phone number, its own dates).
 */
export function exampleArguments(
  document: OpenAPIObject,
  tool: string,
  fields: readonly string[],
): Record<string, unknown> {
  const schema = requestSchemaOf(document, tool);
  const resolve = (part: SchemaObject | ReferenceObject): SchemaObject =>
    '$ref' in part
      ? (document.components?.schemas?.[part.$ref.split('/').pop() as string] as SchemaObject)
      : part;
  const parts = [schema, ...(schema.allOf ?? []).map(resolve)];
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const example = parts
      .map((part) => (part.properties?.[field] as SchemaObject | undefined)?.example)
      .find((value) => value !== undefined);
    if (example === undefined) throw new Error(`${tool} documents no example for ${field}`);
    out[field] = example;
  }
  return out;
}
