import type { Type } from '@nestjs/common';
import type { ToolRequestDto } from './dto/tool-request.dto.js';
import type { TemplateEntry } from './templates/tool-template.js';

/** What a patient's reply to a tool's text can mean, each an event the clinic receives. */
export const REPLY_INTENTS = [
  'appointment.confirmed',
  'appointment.reschedule_requested',
  'refill.requested',
] as const;
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

/**
 * Everything the service knows about one tool, declared once. The controller routes it,
 * Swagger documents it, the exports, limits, audit, specs and docs tables read it.
 */
export interface ToolDefinition<TDto extends ToolRequestDto = ToolRequestDto> {
  /** The name the agent calls it by: ^[a-z0-9_]{1,64}$. */
  name: string;
  /** Path under /api/sms. */
  path: string;
  /** One line for Swagger. */
  summary: string;
  /** Tells the LLM when to use the tool. */
  description: string;
  /**
   * 'send' (the default) texts a patient; 'status' answers about texts already sent;
   * 'opt_out' records that the patient asked for no more texts. Only 'send' has templates.
   */
  kind?: 'send' | 'status' | 'opt_out';
  /** What was sent, as the agent says it: "the copay card". */
  label: string;
  requestDto: Type<TDto>;
  /**
   * The English template, for a tool whose text is not in src/tools/templates/defaults/en.ts
   * (a tool tried out in a test module). The templates files take precedence over it.
   */
  template?: TemplateEntry;
  /** What a template may use as {{variables}}; `toVariables` returns exactly these. */
  variables: readonly string[];
  /**
   * The replies the tool's text asks for (its templates say them): the whole reply, any case,
   * and what it means, e.g. { C: 'appointment.confirmed' }. Never a consent keyword.
   */
  replies?: Readonly<Record<string, ReplyIntent>>;
  /** Variables whose value is one of a fixed set: a template gives the words for each value. */
  choices?: Readonly<Record<string, readonly string[]>>;
  /**
   * The values for a template in `language` (a tag such as en or es): dates spelled in that
   * language, '' for an optional field that was not given.
   */
  toVariables(dto: TDto, language: string): Record<string, string>;
}

/** Keeps a registry entry's DTO and variables in step at compile time. */
export function defineTool<TDto extends ToolRequestDto>(
  tool: ToolDefinition<TDto>,
): ToolDefinition {
  return tool;
}

/** A tool that texts the patient: it has templates, a preview, limits and a message row. */
export function textsPatient(tool: ToolDefinition): boolean {
  return (tool.kind ?? 'send') === 'send';
}
