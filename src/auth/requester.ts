import type { AuditReader } from '../audit/audit-event.js';
import { clientAddressOf } from '../common/http/client-source.js';
import { requestIdOf } from '../common/http/request-id.js';
import { routeTemplateOf } from '../common/http/route-template.js';
import type { ToolCaller } from '../send/tool-call.js';
import type { AuthenticatedRequest } from './auth.guard.js';

/**
 * Who made an authenticated request, as the audit log records it: the key's name and
 * fingerprint, the way in (the key's bound platform where the route serves one, else
 * `fallback`), the client address and the route template. Never the key itself.
 */
export function readerOf(
  req: AuthenticatedRequest,
  fallback = 'rest',
): Required<AuditReader> & { requestId: string } {
  return {
    actor: req.apiKey?.name ?? 'anonymous',
    requestId: requestIdOf(req),
    keyFingerprint: req.apiKey?.fingerprint ?? null,
    platform: req.platform ?? fallback,
    clientIp: clientAddressOf(req.ip),
    route: routeTemplateOf(req) ?? null,
  };
}

/** The caller of a tool call, for the send pipeline: see readerOf. */
export function toolCallerOf(req: AuthenticatedRequest, fallback: string): ToolCaller {
  const reader = readerOf(req, fallback);
  return {
    apiKeyName: reader.actor,
    platform: reader.platform,
    keyFingerprint: reader.keyFingerprint,
    clientIp: reader.clientIp,
  };
}
