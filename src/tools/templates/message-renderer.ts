import { Inject, Injectable } from '@nestjs/common';
import { templatesConfig, type TemplatesConfig } from '../../config/templates.config.js';
import type { ToolRequestDto } from '../dto/tool-request.dto.js';
import { textsPatient, type ToolDefinition } from '../tool-definition.js';
import { TOOL_DEFINITIONS } from '../tool-registry.js';
import { TemplateCatalog } from './template-catalog.js';

export interface RenderedText {
  text: string;
  /** The language the text is in. */
  language: string;
  /** The version of the template it was made from (templateVersion). */
  version: string;
  /** Set when the caller asked for a language without templates and got English instead. */
  requestedLanguage?: string;
}

/**
 * Turns a tool request into the text a patient reads, in the language it asks for. The
 * templates load, and are checked against the tools, when the app boots.
 */
@Injectable()
export class MessageRenderer {
  private readonly catalog: TemplateCatalog;

  constructor(
    @Inject(TOOL_DEFINITIONS) tools: readonly ToolDefinition[],
    @Inject(templatesConfig.KEY) config: TemplatesConfig,
  ) {
    // The status and opt-out tools text nothing: they have no templates.
    this.catalog = TemplateCatalog.load(tools.filter(textsPatient), config.dir);
  }

  render(tool: ToolDefinition, dto: ToolRequestDto): RenderedText {
    const { language, template, isFallback } = this.catalog.select(tool.name, dto.language);
    const text = template.render(tool.toVariables(dto, language));
    const { version } = template;
    return isFallback
      ? { text, language, version, requestedLanguage: dto.language }
      : { text, language, version };
  }

  /** Languages with templates. */
  languages(): string[] {
    return this.catalog.languages();
  }
}
