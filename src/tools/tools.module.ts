import { Module, type DynamicModule } from '@nestjs/common';
import { MessageRenderer } from './templates/message-renderer.js';
import type { ToolDefinition } from './tool-definition.js';
import { TOOL_DEFINITIONS, ToolRegistry } from './tool-registry.js';

/**
 * The tools this instance serves (servedTools), and their templates. Global, the one exception
 * besides configuration: the list is given at boot (a deployment or a test adds tools), and
 * every way in, export and stage reads the same registry.
 */
@Module({})
export class ToolsModule {
  static forRoot(tools: readonly ToolDefinition[]): DynamicModule {
    return {
      module: ToolsModule,
      global: true,
      providers: [{ provide: TOOL_DEFINITIONS, useValue: tools }, ToolRegistry, MessageRenderer],
      exports: [ToolRegistry, MessageRenderer],
    };
  }
}
