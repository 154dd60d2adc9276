import { textsPatient, type ToolDefinition } from '../tools/tool-definition.js';
import { exampleRequest, toolFields, type ToolField } from '../tools/tool-fields.js';

/** A Markdown table laid out as Prettier lays it out, so the formatter leaves it alone. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

function described(field: ToolField): string {
  return field.enum ? `${field.name} (${field.enum.join(', ')})` : field.name;
}

/** README's table: each tool's endpoint, the fields it requires and its own optional ones. */
export function toolsTable(tools: readonly ToolDefinition[]): string {
  return markdownTable(
    ['tool', 'endpoint', 'required fields', 'optional fields'],
    tools.map((tool) => {
      const fields = toolFields(tool);
      return [
        tool.name,
        `\`POST /api/sms/${tool.path}\``,
        fields
          .filter((f) => f.required)
          .map(described)
          .join(', '),
        fields
          .filter((f) => !f.required && !f.isCommon)
          .map(described)
          .join(', '),
      ];
    }),
  );
}

/**
 * What a template author may write for one variable: "(or empty)" when a request without the
 * optional fields leaves it empty, "spelled out" when the tool rewrites the field of that name
 * (a date in the text's language).
 */
function variableNotes(tool: ToolDefinition): Map<string, string[]> {
  const minimal = tool.toVariables(
    Object.assign(new tool.requestDto(), exampleRequest(tool)),
    'en',
  );
  const fullRequest = exampleRequest(tool, { withOptional: true });
  const full = tool.toVariables(Object.assign(new tool.requestDto(), fullRequest), 'en');
  const notes = new Map<string, string[]>();
  for (const variable of tool.variables) {
    const given = fullRequest[variable];
    const note = [
      ...(typeof given === 'string' && given !== full[variable] ? ['spelled out'] : []),
      ...(minimal[variable] === '' ? ['or empty'] : []),
    ];
    notes.set(variable, note);
  }
  return notes;
}

/**
 * docs/TEMPLATES.md's table: the variables and choices each texting tool offers a template, and
 * the replies its text asks for (which its templates must say).
 */
export function templateVariablesTable(tools: readonly ToolDefinition[]): string {
  return markdownTable(
    ['tool', 'variables', 'choices', 'replies'],
    tools.filter(textsPatient).map((tool) => {
      const notes = variableNotes(tool);
      const choices = tool.choices ?? {};
      return [
        tool.name,
        tool.variables
          .filter((variable) => !(variable in choices))
          .map((variable) => {
            const note = notes.get(variable) ?? [];
            return note.length > 0 ? `${variable} (${note.join(', ')})` : variable;
          })
          .join(', '),
        Object.entries(choices)
          .map(([variable, values]) => `${variable}: ${values.join(', ')}`)
          .join('; '),
        Object.entries(tool.replies ?? {})
          .map(([reply, intent]) => `${reply}: ${intent}`)
          .join('; '),
      ];
    }),
  );
}
