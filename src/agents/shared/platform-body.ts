import type { IncomingMessage } from 'node:http';

/**
 * Injection token: the route prefixes of ways in whose platform posts the whole call with each
 * tool call (Vapi's call and artifact, Retell's call with its transcript), as their
 * registrations declare them (`rawBodyPaths`, src/agents/ways-in.ts). Far larger than a tool's
 * own body, so they get their own size limit (PLATFORM_BODY_LIMIT_BYTES), and their exact bytes
 * are kept for signatures. A token, not an import, since the app's set-up is reached from the
 * ways in themselves (the served OpenAPI document).
 */
export const PLATFORM_BODY_PATHS = Symbol('PLATFORM_BODY_PATHS');

/**
 * Injection token: the Swagger tags of the ways in (name and description), in the order
 * src/agents/ways-in.ts lists them. A token for the same reason as PLATFORM_BODY_PATHS.
 */
export const WAY_IN_TAGS = Symbol('WAY_IN_TAGS');

export interface WayInTag {
  name: string;
  description: string;
}

export interface RawBodyRequest extends IncomingMessage {
  /** The body as received: signatures are computed over these bytes, never re-serialized JSON. */
  rawBody?: Buffer;
}

/** body-parser's verify hook: keeps the bytes it parsed. */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as RawBodyRequest).rawBody = buffer;
}

/** The raw body as text, or '' when none was kept (no body, or another parser read it). */
export function rawBodyOf(req: IncomingMessage): string {
  return (req as RawBodyRequest).rawBody?.toString('utf8') ?? '';
}
