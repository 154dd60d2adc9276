import type { IncomingMessage } from 'node:http';

/**
 * Ways in whose platform posts the whole call with each tool call (Vapi's call and artifact,
 * Retell's call with its transcript): far larger than a tool's own body, so they get their own
 * size limit (PLATFORM_BODY_LIMIT_BYTES), and their exact bytes are kept for signatures.
 */
export const PLATFORM_BODY_PATHS = ['/api/vapi', '/api/retell'];

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
