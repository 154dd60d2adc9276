import type { DynamicModule, Type } from '@nestjs/common';
import type { Platform } from '../config/auth.config.js';
import type { WayInTag } from './shared/index.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import type { ToolExport } from './elevenlabs/elevenlabs.service.js';

/**
 * One way in, as its folder declares it and src/agents/ways-in.ts lists it: the app mounts its
 * module, the export CLI offers its exporter and the app keeps the raw body of its routes, so
 * a new platform is its folder and one line in that list.
 */
/** What the list tells a way in's module about the others. */
export interface WayInContext {
  /** The ways in with `keysRetries`. */
  keyedPlatforms: readonly string[];
}

export interface WayInRegistration {
  /** What an API key is bound to, the audit log records and `--platform` names. */
  name: Platform;
  /**
   * Its Nest module, given the served tools (the REST way in has an endpoint per tool). None for
   * a platform that calls another way in's routes (Bland calls the REST tools).
   */
  module?: (
    tools: readonly ToolDefinition[],
    context: WayInContext,
  ) => Type<unknown> | DynamicModule;
  /**
   * It keys retries on its platform's own ids (platformIdempotencyKey): a REST Idempotency-Key
   * may not take its `<name>:` prefix.
   */
  keysRetries?: boolean;
  /** Its tool definitions, printed by `npm run tools:export -- --platform <name>`. */
  exporter?: (exported: ToolExport) => unknown;
  /** The name its export gives a tool, when the platform refuses some names (Bland). */
  exportedName?: (toolName: string) => string;
  /** Settings only this platform's export reads: an unset one is reported for it alone. */
  exportSettings?: readonly string[];
  /**
   * Route prefixes whose platform posts the whole call with each tool call: they get their own
   * body limit and keep the raw bytes for signatures (src/agents/shared/platform-body.ts).
   */
  rawBodyPaths?: readonly string[];
  /** The Swagger tag its controllers use (`@ApiTags`), with the description the docs show. */
  swaggerTag?: WayInTag;
}
