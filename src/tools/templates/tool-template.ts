import { assertTemplateVariables, placeholdersOf, renderTemplate } from './template.js';
import { templateVersion } from './template-version.js';

/** The words for each value of a choice variable: { "approved": "has been approved", ... }. */
export type ChoiceTexts = Readonly<Record<string, string>>;

/**
 * One tool's template in one language: its text, or its text and named phrases. A phrase
 * given as text is an optional clause, left out when a variable it uses is empty
 * (" at {{pharmacy_name}}"); a phrase named after a choice variable gives the words for each
 * of its values. The format is described in docs/TEMPLATES.md.
 */
export type TemplateEntry = string | TemplateWithPhrases;

export interface TemplateWithPhrases {
  text: string;
  [phrase: string]: string | ChoiceTexts;
}

/** A templates file: tool name -> template. */
export type TemplateFile = Readonly<Record<string, TemplateEntry>>;

/**
 * What a template may use: the tool's variables, and which of them are choices. The part of a
 * ToolDefinition a template reads, spelled out here because tool-definition.ts imports
 * TemplateEntry from this file (no import cycles, docs/EXTENDING.md "Architecture rules").
 */
export interface TemplateVariables {
  readonly name: string;
  readonly variables: readonly string[];
  readonly choices?: Readonly<Record<string, readonly string[]>>;
}

/** A template checked against its tool, ready to fill with the tool's variables. */
export interface ToolTemplate {
  render(variables: Record<string, string>): string;
  /** templateVersion() of its source: which words a text was made from, in the audit log. */
  readonly version: string;
}

/**
 * Checks a template against the variables its tool provides and compiles it. Throws, naming
 * the tool and the variable, for anything that would otherwise fail (or text a literal
 * "{{name}}") at send time.
 */
export function compileToolTemplate(tool: TemplateVariables, entry: unknown): ToolTemplate {
  const { text, phrases, choices } = splitEntry(tool, entry);
  const choiceNames = Object.keys(tool.choices ?? {});
  const plain = tool.variables.filter((v) => !choiceNames.includes(v));

  for (const [name, phrase] of Object.entries(phrases)) {
    if (tool.variables.includes(name)) {
      throw new Error(
        `Template of ${tool.name} has a phrase named "${name}", the name of a variable the tool provides: give the phrase another name`,
      );
    }
    assertUses(tool, `phrase "${name}"`, phrase, plain);
  }
  for (const [name, texts] of Object.entries(choices)) {
    const values = tool.choices?.[name];
    if (!values) {
      throw new Error(
        `Template of ${tool.name} gives texts per value for "${name}", which is not a choice of the tool (its choices: ${choiceNames.join(', ') || 'none'})`,
      );
    }
    const missing = values.filter((v) => typeof texts[v] !== 'string');
    if (missing.length > 0) {
      throw new Error(
        `Template of ${tool.name} gives no text for ${name} ${missing.map((v) => `"${v}"`).join(', ')} (it must give one for each of: ${values.join(', ')})`,
      );
    }
    const extra = Object.keys(texts).filter((v) => !values.includes(v));
    if (extra.length > 0) {
      throw new Error(
        `Template of ${tool.name} gives a text for ${name} ${extra.map((v) => `"${v}"`).join(', ')}, which the tool never sends (its values: ${values.join(', ')})`,
      );
    }
    for (const value of values)
      assertUses(tool, `text for ${name} "${value}"`, texts[value], plain);
  }
  assertUses(tool, 'text', text, [...tool.variables, ...Object.keys(phrases)]);
  const unexplained = placeholdersOf(text).filter((n) => choiceNames.includes(n) && !choices[n]);
  if (unexplained.length > 0) {
    const name = unexplained[0];
    throw new Error(
      `Template of ${tool.name} uses {{${name}}}, a choice: give its words for each value (${tool.choices?.[name]?.join(', ')}) under "${name}"`,
    );
  }

  return {
    version: templateVersion(entry),
    render(variables) {
      const filled: Record<string, string> = { ...variables };
      for (const [name, phrase] of Object.entries(phrases)) {
        const isComplete = placeholdersOf(phrase).every((v) => variables[v]);
        filled[name] = isComplete ? renderTemplate(phrase, variables) : '';
      }
      for (const [name, texts] of Object.entries(choices)) {
        const words = texts[variables[name]];
        if (words === undefined) {
          throw new Error(`Template of ${tool.name} has no text for ${name} "${variables[name]}"`);
        }
        filled[name] = renderTemplate(words, variables);
      }
      return renderTemplate(text, filled);
    },
  };
}

function splitEntry(
  tool: TemplateVariables,
  entry: unknown,
): { text: string; phrases: Record<string, string>; choices: Record<string, ChoiceTexts> } {
  if (typeof entry === 'string') return { text: entry, phrases: {}, choices: {} };
  if (!isRecord(entry) || typeof entry.text !== 'string') {
    throw new Error(
      `Template of ${tool.name} must be text, or an object with the text under "text" and its phrases`,
    );
  }
  const phrases: Record<string, string> = {};
  const choices: Record<string, ChoiceTexts> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'text') continue;
    if (typeof value === 'string') {
      phrases[name] = value;
    } else if (isRecord(value) && Object.values(value).every((v) => typeof v === 'string')) {
      choices[name] = value as ChoiceTexts;
    } else {
      throw new Error(
        `Template of ${tool.name} has a phrase "${name}" that is neither text nor texts per value`,
      );
    }
  }
  return { text: entry.text, phrases, choices };
}

function assertUses(
  tool: TemplateVariables,
  part: string,
  template: string,
  allowed: readonly string[],
): void {
  const where = part === 'text' ? tool.name : `${tool.name} (${part})`;
  const choice = placeholdersOf(template).find(
    (name) => !allowed.includes(name) && tool.variables.includes(name),
  );
  if (choice !== undefined) {
    throw new Error(
      `Template of ${where} uses the choice {{${choice}}}: only the text may use a choice`,
    );
  }
  assertTemplateVariables(where, template, allowed);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
