import { assertNoOptOutReplies } from './reply-words.js';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ToolDefinition } from '../tool-definition.js';
import { en } from './defaults/en.js';
import { es } from './defaults/es.js';
import { compileToolTemplate, type TemplateFile, type ToolTemplate } from './tool-template.js';

/** The language every tool must have a template in, and what any other language falls back to. */
export const FALLBACK_LANGUAGE = 'en';

const DEFAULT_FILES: ReadonlyArray<{ file: string; language: string; templates: TemplateFile }> = [
  { file: 'src/tools/templates/defaults/en.ts', language: 'en', templates: en },
  { file: 'src/tools/templates/defaults/es.ts', language: 'es', templates: es },
];

/** A templates file that would fail a send: the boot stops, naming the file and what is wrong. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface SelectedTemplate {
  /** The language the template is in (a canonical tag: en, es, es-MX). */
  language: string;
  template: ToolTemplate;
  /** The caller asked for a language this tool has no template in. */
  isFallback: boolean;
}

/** "EN" -> "en", "es_mx" -> "es-MX"; undefined for what is not a language tag. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

/**
 * Every registered tool's template in every language, checked once at boot. Later sources
 * replace earlier ones tool by tool: a registry entry's own `template` (English), then the
 * defaults in src/tools/templates/defaults/, then TEMPLATES_DIR/<language>.json.
 */
export class TemplateCatalog {
  private constructor(
    private readonly byLanguage: ReadonlyMap<string, ReadonlyMap<string, ToolTemplate>>,
  ) {}

  static load(tools: readonly ToolDefinition[], dir?: string): TemplateCatalog {
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const byLanguage = new Map<string, Map<string, ToolTemplate>>();
    const add = (file: string, language: string, tool: ToolDefinition, entry: unknown) => {
      const templates = byLanguage.get(language) ?? new Map<string, ToolTemplate>();
      templates.set(tool.name, compileIn(file, tool, entry));
      byLanguage.set(language, templates);
    };

    for (const tool of tools) {
      if (tool.template !== undefined) {
        add(`the registry entry of ${tool.name}`, FALLBACK_LANGUAGE, tool, tool.template);
      }
    }
    // The defaults cover the shipped tools; a deployment may serve only some of them.
    for (const { file, language, templates } of DEFAULT_FILES) {
      for (const [name, entry] of Object.entries(templates)) {
        const tool = byName.get(name);
        if (tool) add(file, language, tool, entry);
      }
    }
    for (const { file, language, templates } of dir ? readTemplatesDir(dir) : []) {
      for (const [name, entry] of Object.entries(templates)) {
        const tool = byName.get(name);
        if (!tool) {
          throw new TemplateError(
            `${file}: there is no tool named "${name}" (the tools: ${[...byName.keys()].join(', ')})`,
          );
        }
        add(file, language, tool, entry);
      }
    }

    const english = byLanguage.get(FALLBACK_LANGUAGE);
    const missing = tools.filter((tool) => !english?.has(tool.name)).map((tool) => tool.name);
    if (missing.length > 0) {
      throw new TemplateError(
        `No English template for ${missing.join(', ')}: add one to src/tools/templates/defaults/en.ts (or TEMPLATES_DIR/en.json)`,
      );
    }
    return new TemplateCatalog(byLanguage);
  }

  /** Languages with at least one template. */
  languages(): string[] {
    return [...this.byLanguage.keys()];
  }

  /**
   * The template for a requested language: the exact tag (es-MX), then its language (es),
   * then English, reported as a fallback unless English was asked for.
   */
  select(toolName: string, requested?: string): SelectedTemplate {
    const isAsked = Boolean(requested?.trim());
    const wanted = isAsked ? canonicalLanguage(requested as string) : undefined;
    const asked = wanted === undefined ? [] : [wanted, new Intl.Locale(wanted).language];
    for (const language of [...asked, FALLBACK_LANGUAGE]) {
      const template = this.byLanguage.get(language)?.get(toolName);
      if (template) return { language, template, isFallback: isAsked && !asked.includes(language) };
    }
    throw new Error(`No template for the tool ${toolName}: it is not registered`);
  }
}

function compileIn(file: string, tool: ToolDefinition, entry: unknown): ToolTemplate {
  try {
    assertNoOptOutReplies(tool, entry);
    return compileToolTemplate(tool, entry);
  } catch (error) {
    throw new TemplateError(`${file}: ${(error as Error).message}`);
  }
}

/** TEMPLATES_DIR/<language>.json files; other files are left alone. */
function readTemplatesDir(
  dir: string,
): Array<{ file: string; language: string; templates: Record<string, unknown> }> {
  const seen = new Map<string, string>();
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const language = languageOfFile(name);
      if (!language) {
        throw new TemplateError(
          `${file}: the file name must be a language tag, such as es.json or es-MX.json`,
        );
      }
      const twin = seen.get(language);
      if (twin) throw new TemplateError(`${file}: ${twin} is for the same language (${language})`);
      seen.set(language, file);
      return { file, language, templates: parseTemplatesFile(file) };
    });
}

function languageOfFile(name: string): string | undefined {
  const tag = basename(name, '.json');
  return /^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?$/.test(tag) ? canonicalLanguage(tag) : undefined;
}

function parseTemplatesFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TemplateError(`${file}: must hold one JSON object of tool name -> template`);
  }
  return parsed as Record<string, unknown>;
}
