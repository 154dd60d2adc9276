import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { clientAddressOf } from '../common/http/client-source.js';
import { requestIdOf } from '../common/http/request-id.js';
import { routeTemplateOf } from '../common/http/route-template.js';
import { appConfig } from '../config/app.config.js';
import { redactedPath } from '../logging/redaction.js';
import { AuditLogService } from './audit-log.service.js';
import type { AuditAction } from './audit-event.js';
import { DeniedAttempts } from './denied-attempts.js';
import { callerFacts, type ToolCall } from '../send/tool-call.js';
import type { ApiKeyIdentity } from '../auth/api-key.registry.js';

const SEND_ROUTE = /^\/api\/sms\/(?!messages\/|preview$)[a-z0-9-]+$/;
const CONVERSATION_ID = /^[\w.:-]{1,128}$/;

/**
 * Records refused requests, once each: the send pipeline's refusals (validation, policy,
 * consent, limits) through recordToolRefusal, whatever the way in; and at the HTTP edge what
 * never reached it (authentication, the per-key limit, unreadable bodies). Refused
 * authentications go through DeniedAttempts, which bounds what noise can append. Best effort:
 * a refusal sent nothing, so an audit outage must not turn it into a 500.
 */
@Injectable()
export class RefusalAuditor {
  private readonly logger = new Logger(RefusalAuditor.name);

  constructor(
    private readonly audit: AuditLogService,
    private readonly denied: DeniedAttempts,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async record(req: Request, error: DomainError): Promise<void> {
    const action = this.actionFor(req, error);
    if (!action) return;
    const key = (req as Request & { apiKey?: ApiKeyIdentity }).apiKey;
    const actor = key?.name ?? 'anonymous';
    if (action === 'auth.denied') return this.recordDenial(req, actor, error);
    // Only a caller with a key may tag a patient or a conversation: anyone can post a body
    // naming someone else's number, and their refusal must not land in that patient's history.
    const body = (key && typeof req.body === 'object' && req.body ? req.body : {}) as Record<
      string,
      unknown
    >;
    try {
      await this.audit.append({
        actor,
        action,
        outcome: 'failure',
        recipient: this.recipientOf(body.phone_number),
        requestId: requestIdOf(req),
        conversationId:
          typeof body.conversation_id === 'string' && CONVERSATION_ID.test(body.conversation_id)
            ? body.conversation_id
            : null,
        details: {
          code: error.code,
          http_status: error.status,
          route: routeOf(req),
          client_ip: clientAddressOf(req.ip),
          ...(key ? { key_fingerprint: key.fingerprint } : {}),
        },
      });
    } catch (auditError) {
      this.logger.error({ err: auditError, code: error.code }, 'Could not audit a refused request');
    }
  }

  /** A refused authentication; `reason` says what was wrong when the code does not. */
  recordDenial(req: Request, actor: string, error: DomainError, reason?: string): Promise<void> {
    return this.denied.record({
      actor,
      keyFingerprint: (req as Request & { apiKey?: ApiKeyIdentity }).apiKey?.fingerprint,
      ip: req.ip,
      code: error.code,
      httpStatus: error.status,
      reason,
      route: routeOf(req),
      requestId: requestIdOf(req),
    });
  }

  /** A tool call the pipeline refused. `recipient`: E.164, once the number was read. */
  async recordToolRefusal(
    call: ToolCall,
    recipient: string | null,
    error: DomainError,
  ): Promise<void> {
    const input = (typeof call.input === 'object' && call.input ? call.input : {}) as Record<
      string,
      unknown
    >;
    try {
      await this.audit.append({
        actor: call.caller.apiKeyName,
        action: error.code === ErrorCode.RATE_LIMITED ? 'sms.rate_limited' : 'sms.rejected',
        outcome: 'failure',
        // Refused before the number was read (validation): the number as given, if possible.
        recipient: recipient ?? this.recipientOf(input.phone_number),
        requestId: call.requestId,
        conversationId:
          typeof input.conversation_id === 'string' && CONVERSATION_ID.test(input.conversation_id)
            ? input.conversation_id
            : null,
        details: {
          code: error.code,
          http_status: error.status,
          tool: call.tool.slice(0, 64),
          ...callerFacts(call),
          ...limitOf(error),
        },
      });
    } catch (auditError) {
      this.logger.error({ err: auditError, code: error.code }, 'Could not audit a refused request');
    }
  }

  private actionFor(req: Request, error: DomainError): AuditAction | undefined {
    if (error.code === ErrorCode.UNAUTHORIZED || error.code === ErrorCode.FORBIDDEN)
      return 'auth.denied';
    const limit = (error.details as { limit?: string } | undefined)?.limit;
    if (error.code === ErrorCode.RATE_LIMITED && limit === 'auth-failures') return 'auth.denied';
    if (req.method !== 'POST' || !SEND_ROUTE.test(req.path)) return undefined;
    return error.code === ErrorCode.RATE_LIMITED ? 'sms.rate_limited' : 'sms.rejected';
  }

  private recipientOf(raw: unknown): string | null {
    if (typeof raw !== 'string' || raw.length > 32) return null;
    const parsed = parsePhoneNumberFromString(raw, this.app.defaultCountry);
    return parsed?.isPossible() ? parsed.number : null;
  }
}

/** The matched route's template (no ids or numbers), or the path with its numbers redacted. */
function routeOf(req: Request): string {
  return (routeTemplateOf(req) ?? redactedPath(req.path)).slice(0, 128);
}

function limitOf(error: DomainError): { limit?: string } {
  const limit = (error.details as { limit?: unknown } | undefined)?.limit;
  return typeof limit === 'string' ? { limit } : {};
}
