import { Inject, Injectable } from '@nestjs/common';
import { compileToolTemplate } from './templates/tool-template.js';
import { DEFAULT_TOOLS } from './default-tools.js';
import { isOptOutTool, optOutOfTextsTool } from './opt-out-tool.js';
import { withStatusTool } from './status-tool.js';
import type { ToolDefinition } from './tool-definition.js';

export const TOOL_DEFINITIONS = Symbol('TOOL_DEFINITIONS');

const TOOL_NAME = /^[a-z0-9_]{1,64}$/;
const TOOL_PATH = /^[a-z0-9-]{1,64}$/;

/** The tools this instance serves, checked once at boot. */
@Injectable()
export class ToolRegistry {
  private readonly byName: ReadonlyMap<string, ToolDefinition>;

  constructor(@Inject(TOOL_DEFINITIONS) tools: readonly ToolDefinition[]) {
    ToolRegistry.check(tools);
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  static check(tools: readonly ToolDefinition[]): void {
    const names = new Set<string>();
    const paths = new Set<string>();
    for (const tool of tools) {
      if (!TOOL_NAME.test(tool.name))
        throw new Error(`Tool name "${tool.name}" must match ${TOOL_NAME}`);
      if (!TOOL_PATH.test(tool.path))
        throw new Error(`Tool path "${tool.path}" must match ${TOOL_PATH}`);
      if (names.has(tool.name)) throw new Error(`Tool "${tool.name}" is registered twice`);
      if (paths.has(tool.path)) throw new Error(`Tool path "${tool.path}" is registered twice`);
      names.add(tool.name);
      paths.add(tool.path);
      for (const choice of Object.keys(tool.choices ?? {})) {
        if (!tool.variables.includes(choice))
          throw new Error(
            `Tool "${tool.name}" has the choice "${choice}", which is not one of its variables`,
          );
      }
      // Its templates in every language are checked when the templates load (MessageRenderer).
      if (tool.template !== undefined) compileToolTemplate(tool, tool.template);
    }
  }

  all(): ToolDefinition[] {
    return [...this.byName.values()];
  }

  get(name: string): ToolDefinition | undefined {
    return this.byName.get(name);
  }
}

/**
 * The tools an instance serves: the given ones (the defaults unless told), the status tool and
 * the opt-out tool, checked.
 */
export function servedTools(
  given: readonly ToolDefinition[] = DEFAULT_TOOLS,
): readonly ToolDefinition[] {
  const withStatus = withStatusTool(given);
  const tools = withStatus.some(isOptOutTool) ? withStatus : [...withStatus, optOutOfTextsTool];
  ToolRegistry.check(tools);
  return tools;
}
