import type { DynamicModule, Type } from '@nestjs/common';
import type { ToolDefinition } from '../tools/tool-definition.js';
import { BLAND_WAY_IN } from './bland/bland.registration.js';
import { ELEVENLABS_WAY_IN } from './elevenlabs/elevenlabs.registration.js';
import { MCP_WAY_IN } from './mcp/mcp.registration.js';
import { REST_WAY_IN } from './rest/rest.registration.js';
import { RETELL_WAY_IN } from './retell/retell.registration.js';
import { VAPI_WAY_IN } from './vapi/vapi.registration.js';
import type { WayInTag } from './shared/index.js';
import type { WayInRegistration } from './way-in.js';

/**
 * Every way in, once: the app mounts their modules, the export CLI offers their exporters, the
 * body parsers keep their raw bodies, and the docs and specs that name platforms read this.
 * A new platform is its folder under src/agents/ and one line here.
 */
export const WAYS_IN: readonly WayInRegistration[] = [
  REST_WAY_IN,
  ELEVENLABS_WAY_IN,
  MCP_WAY_IN,
  BLAND_WAY_IN,
  VAPI_WAY_IN,
  RETELL_WAY_IN,
];

/** What an API key may be bound to (API_KEYS), in the list's order. */
export function wayInNames(): string[] {
  return WAYS_IN.map((wayIn) => wayIn.name);
}

/** The ways in that key retries on their platform's own ids. */
export function keyedPlatforms(): string[] {
  return WAYS_IN.filter((wayIn) => wayIn.keysRetries).map((wayIn) => wayIn.name);
}

/**
 * The ways in's Nest modules, in the list's order; the REST way in gets the served tools and the
 * prefixes its Idempotency-Key may not take.
 */
export function wayInModules(tools: readonly ToolDefinition[]): (Type<unknown> | DynamicModule)[] {
  const context = { keyedPlatforms: keyedPlatforms() };
  return WAYS_IN.flatMap((wayIn) => (wayIn.module ? [wayIn.module(tools, context)] : []));
}

/** The route prefixes whose raw body is kept (src/agents/shared/platform-body.ts). */
export function platformBodyPaths(): string[] {
  return WAYS_IN.flatMap((wayIn) => wayIn.rawBodyPaths ?? []);
}

/** The ways in's Swagger tags, in the list's order (src/app.setup.ts adds them). */
export function wayInTags(): WayInTag[] {
  return WAYS_IN.flatMap((wayIn) => (wayIn.swaggerTag ? [wayIn.swaggerTag] : []));
}
