// Any {{...}}, so a misspelt or capitalised name is caught at boot rather than texted literally.
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Names used by a template's {{placeholders}}. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** Fills {{name}} placeholders; a name the tool does not provide is a programming error. */
export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`Template variable "${name}" has no value`);
    return value;
  });
}

/** Checked at boot so a broken template stops the service instead of a send. */
export function assertTemplateVariables(
  toolName: string,
  template: string,
  provided: readonly string[],
): void {
  const unknown = placeholdersOf(template).filter((name) => !provided.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `Template of ${toolName} uses ${unknown.map((n) => `{{${n}}}`).join(', ')}, which the tool does not provide (it provides: ${provided.join(', ')})`,
    );
  }
}
