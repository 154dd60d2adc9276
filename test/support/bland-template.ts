/**
 * Renders a Bland custom tool's body as Bland documents it (docs.bland.ai/tutorials/custom-tools,
 * docs.bland.ai/tutorials/dynamic-data): {{input.x}} is the LLM's value for x, {{name}} a call
 * variable. A whole-value placeholder keeps the value's JSON type, as Bland's own example puts
 * the whole {{input}} object into a field. Bland does not document what an input the LLM left
 * out becomes: here its field is left out (docs/PLATFORMS.md says to check it on a test call).
 */
export function renderBlandBody(
  body: Record<string, string>,
  input: Record<string, unknown>,
  callVariables: Record<string, string>,
): Record<string, unknown> {
  const valueOf = (name: string): unknown => {
    if (name.startsWith('input.')) return input[name.slice('input.'.length)];
    if (!(name in callVariables)) throw new Error(`{{${name}}} is not a Bland call variable here`);
    return callVariables[name];
  };
  const rendered: Record<string, unknown> = {};
  for (const [field, template] of Object.entries(body)) {
    const whole = template.match(/^\{\{\s*([\w.]+)\s*\}\}$/);
    if (whole) {
      const value = valueOf(whole[1]);
      if (value !== undefined) rendered[field] = value;
      continue;
    }
    rendered[field] = template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
      const value = valueOf(name);
      if (value === undefined) return '';
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  return rendered;
}

/** Bland's response mapping: a variable per `$.field` path, read from the answer. */
export function blandResponseVariables(
  response: Record<string, string>,
  answer: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(response).map(([variable, path]) => [
      variable,
      path
        .replace(/^\$\./, '')
        .split('.')
        .reduce<unknown>(
          (node, key) => (node as Record<string, unknown> | undefined)?.[key],
          answer,
        ),
    ]),
  );
}
