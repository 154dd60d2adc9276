import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';
import type * as Wire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import type { RecipientPolicyMode } from '../../config/policy.config.js';
import type { ToolDefinition } from '../../tools/tool-definition.js';

/** One request body for POST /v1/convai/tools, typed by the SDK's own wire (REST) types. */
export interface ElevenLabsToolBody {
  tool_config: Wire.ToolRequestModelToolConfig.Webhook;
}

type BodySchema = Wire.ObjectJsonSchemaPropertyInput.Raw;
type PropertySchema = Wire.ObjectJsonSchemaPropertyInputPropertiesValue.Raw;
type LiteralSchema = Wire.LiteralJsonSchemaProperty.Raw;

export interface ToolExportSettings {
  /** Origin (and optional path prefix) ElevenLabs reaches the service at. */
  publicBaseUrl: string;
  /** The service's own deadline; the tool waits a little longer than that. */
  requestDeadlineMs: number;
  recipientPolicy: RecipientPolicyMode;
  /** Workspace secret holding the service's API key. */
  secretId: string;
}

const API_KEY_HEADER = 'X-API-Key';

/** Context the platform knows better than the LLM: bound, never asked for. */
export const CONTEXT_BINDINGS: Readonly<Record<string, string>> = {
  conversation_id: 'system__conversation_id',
  caller_id: 'system__caller_id',
  agent_id: 'system__agent_id',
};

const MIN_TIMEOUT_SECS = 5;
const MAX_TIMEOUT_SECS = 300;
/** Headroom between our deadline and the agent giving up, for the network both ways. */
const TIMEOUT_HEADROOM_SECS = 5;

export function responseTimeoutSecs(requestDeadlineMs: number): number {
  const secs = Math.ceil(requestDeadlineMs / 1000) + TIMEOUT_HEADROOM_SECS;
  return Math.min(MAX_TIMEOUT_SECS, Math.max(MIN_TIMEOUT_SECS, secs));
}

/** Which request field gets which system dynamic variable under a recipient policy. */
export function bindingsFor(policy: RecipientPolicyMode): Record<string, string> {
  return policy === 'caller_only'
    ? { ...CONTEXT_BINDINGS, phone_number: 'system__caller_id' }
    : { ...CONTEXT_BINDINGS };
}

/**
 * The ElevenLabs webhook tools for the registered tools, read from the OpenAPI document the
 * service serves: the DTOs stay the only place a field is declared.
 */
export function buildElevenLabsTools(
  document: OpenAPIObject,
  tools: readonly Pick<ToolDefinition, 'name' | 'description'>[],
  settings: ToolExportSettings,
): ElevenLabsToolBody[] {
  const bindings = bindingsFor(settings.recipientPolicy);
  return tools.map((tool) => {
    const { path, operation } = findOperation(document, tool.name);
    const walker = new SchemaWalker(document, tool.name, bindings);
    const body = walker.body(requestSchema(document, tool.name, operation), operation);
    const toolConfig = {
      type: 'webhook',
      name: tool.name,
      description: operation.description ?? tool.description,
      response_timeout_secs: responseTimeoutSecs(settings.requestDeadlineMs),
      // Our error bodies carry agent_message; the agent should hear it, not a summary.
      tool_error_handling_mode: 'passthrough',
      api_schema: {
        url: `${settings.publicBaseUrl.replace(/\/+$/, '')}${path}`,
        method: 'POST',
        request_headers: { [API_KEY_HEADER]: { secret_id: settings.secretId } },
        request_body_schema: body,
      },
    } satisfies Wire.ToolRequestModelToolConfig.Webhook;
    return { tool_config: toolConfig } satisfies Wire.ToolRequestModel.Raw;
  });
}

function findOperation(
  document: OpenAPIObject,
  operationId: string,
): { path: string; operation: OperationObject } {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (item.post?.operationId === operationId) return { path, operation: item.post };
  }
  throw new Error(`The OpenAPI document has no POST operation "${operationId}"`);
}

function requestSchema(
  document: OpenAPIObject,
  toolName: string,
  operation: OperationObject,
): SchemaObject | ReferenceObject {
  let requestBody = operation.requestBody;
  if (requestBody && '$ref' in requestBody) {
    requestBody = document.components?.requestBodies?.[refName(requestBody.$ref)];
  }
  if (requestBody && '$ref' in requestBody) {
    throw new Error(`${toolName} has a request body that refers to another reference`);
  }
  const schema = requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${toolName} has no application/json request body`);
  return schema;
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

const LITERAL_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/** Turns OpenAPI schemas into the dialect, keeping only what it accepts. */
class SchemaWalker {
  constructor(
    private readonly document: OpenAPIObject,
    private readonly toolName: string,
    private readonly bindings: Record<string, string>,
  ) {}

  body(schema: SchemaObject | ReferenceObject, operation: OperationObject): BodySchema {
    const resolved = this.resolve(schema, 'the request body');
    const description =
      resolved.description ?? operation.summary ?? `The request for ${this.toolName}.`;
    return this.object(resolved, description, 'the request body');
  }

  private object(schema: SchemaObject, description: string, where: string): BodySchema {
    const properties: Record<string, PropertySchema> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      properties[name] = this.property(name, property, `${where}.${name}`);
    }
    const required = (schema.required ?? []).filter((name) => name in properties);
    return {
      type: 'object',
      description,
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
  }

  private property(
    name: string,
    raw: SchemaObject | ReferenceObject,
    where: string,
  ): PropertySchema {
    const schema = this.resolve(raw, where);
    const type = this.typeOf(schema, where);
    const variable = this.bindings[name];
    if (variable !== undefined) {
      if (!LITERAL_TYPES.has(type))
        throw this.error(where, `is bound to ${variable} but is a ${type}`);
      return { type: type as LiteralSchema['type'], dynamic_variable: variable };
    }
    const description = schema.description?.trim();
    if (!description) throw this.error(where, 'has no description for the agent');
    if (type === 'object') return this.object(schema, description, where);
    if (type === 'array') {
      if (!schema.items) throw this.error(where, 'is an array without items');
      const items = this.resolve(schema.items, `${where}[]`);
      const item = this.property(
        '',
        { ...items, description: items.description ?? description },
        `${where}[]`,
      );
      return { type: 'array', description, items: item };
    }
    return this.literal(type, description, schema);
  }

  private literal(type: string, description: string, schema: SchemaObject): LiteralSchema {
    const values = schema.enum?.filter((v) => v !== null);
    if (!values?.length) return { type: type as LiteralSchema['type'], description };
    // The dialect's enum holds strings only; other enums are told to the LLM instead.
    if (type === 'string') return { type, description, enum: values.map(String) };
    return {
      type: type as LiteralSchema['type'],
      description: `${description} One of: ${values.join(', ')}.`,
    };
  }

  private typeOf(schema: SchemaObject, where: string): string {
    if (schema.oneOf || schema.anyOf || schema.not) {
      throw this.error(where, 'uses oneOf/anyOf/not, which ElevenLabs tools cannot express');
    }
    const types = [schema.type ?? []].flat().filter((t) => t !== 'null');
    if (types.length === 0 && schema.properties) return 'object';
    if (types.length === 0 && schema.enum) return 'string';
    if (types.length !== 1) throw this.error(where, 'needs exactly one type');
    return types[0];
  }

  /** Follows $ref into components.schemas and flattens allOf (DTO inheritance). */
  private resolve(
    raw: SchemaObject | ReferenceObject,
    where: string,
    seen = new Set<string>(),
  ): SchemaObject {
    if ('$ref' in raw) {
      const name = refName(raw.$ref);
      if (seen.has(name)) throw this.error(where, `refers to itself through ${name}`);
      const target = this.document.components?.schemas?.[name];
      if (!target) throw this.error(where, `refers to a missing schema ${raw.$ref}`);
      return this.resolve(target, where, new Set([...seen, name]));
    }
    if (!raw.allOf) return raw;
    const { allOf, ...own } = raw;
    const parts = [...allOf.map((part) => this.resolve(part, where, seen)), own];
    const merged: SchemaObject = {};
    for (const part of parts) {
      Object.assign(merged, part, {
        properties: { ...merged.properties, ...part.properties },
        required: [...new Set([...(merged.required ?? []), ...(part.required ?? [])])],
      });
    }
    if (merged.properties && !merged.type) merged.type = 'object';
    return merged;
  }

  private error(where: string, problem: string): Error {
    return new Error(`Cannot export ${this.toolName} to ElevenLabs: ${where} ${problem}`);
  }
}
