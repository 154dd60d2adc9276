import { DECORATORS } from '@nestjs/swagger';
import { ToolRequestDto } from './dto/tool-request.dto.js';
import type { ToolDefinition } from './tool-definition.js';

/** One request field of a tool, as its DTO documents it for Swagger. */
export interface ToolField {
  name: string;
  required: boolean;
  /** The values it takes, for a field with a fixed set. */
  enum?: readonly unknown[];
  example?: unknown;
  /** Declared by ToolRequestDto: the number and the context every tool takes. */
  isCommon: boolean;
}

interface PropertyMetadata {
  required?: boolean;
  enum?: readonly unknown[];
  example?: unknown;
}

function documentedNames(type: object): string[] {
  const keys = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, type) ?? []) as string[];
  return keys.map((key) => key.replace(/^:/, ''));
}

/**
 * A tool's request fields in the order its DTO declares them (the inherited ones first), read
 * from the same decorators Swagger reads, so the docs and the specs see what the document shows.
 */
export function toolFields(tool: ToolDefinition): ToolField[] {
  const prototype = tool.requestDto.prototype as object;
  const common = new Set(documentedNames(ToolRequestDto.prototype));
  return documentedNames(prototype).map((name) => {
    const metadata = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, name) as
      PropertyMetadata | undefined;
    return {
      name,
      // Swagger's default: a documented field is required unless it says otherwise.
      required: metadata?.required !== false,
      ...(metadata?.enum ? { enum: metadata.enum } : {}),
      ...(metadata?.example !== undefined ? { example: metadata.example } : {}),
      isCommon: common.has(name),
    };
  });
}

/**
 * A request the tool documents: each required field with its example, and with `withOptional`
 * the optional fields' examples too.
 */
export function exampleRequest(
  tool: ToolDefinition,
  { withOptional = false } = {},
): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const field of toolFields(tool)) {
    const example = field.example ?? field.enum?.[0];
    if (field.required && example === undefined)
      throw new Error(`${tool.name}: the required field ${field.name} documents no example`);
    if ((field.required || withOptional) && example !== undefined) request[field.name] = example;
  }
  return request;
}
