import { HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import type { Platform, Scope } from '../config/auth.config.js';
import type { ApiKeyIdentity } from './api-key.registry.js';
import { IS_PUBLIC, REQUIRED_SCOPES, WAY_IN_PLATFORMS } from './auth.decorators.js';
import type { AuthenticatedRequest } from './auth.guard.js';

/** Routes that declare no scope need admin: forgetting the decorator fails closed. */
const DEFAULT_SCOPES: Scope[] = ['admin'];

function forbidden(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, message, {
    status: HttpStatus.FORBIDDEN,
    agentMessage: "I'm not allowed to do that.",
    details,
  });
}

/**
 * What the key may do here: the route's scopes and the ways in it is bound to. The last global
 * guard, after the per-key limit, so a key hammering a route it may not use is still counted.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const identity = req.apiKey;
    // The AuthGuard runs first and sets the key; without one, refuse rather than assume.
    if (!identity) throw forbidden('No API key was identified.', {});
    const required =
      this.reflector.getAllAndOverride<Scope[]>(REQUIRED_SCOPES, targets) ?? DEFAULT_SCOPES;
    const missing = required.filter((s) => !identity.scopes.includes(s));
    if (missing.length > 0) {
      throw forbidden(`This API key lacks the scope ${missing.join(', ')}.`, {
        required_scopes: required,
      });
    }
    req.platform = this.platformFor(identity, context);
    return true;
  }

  private platformFor(identity: ApiKeyIdentity, context: ExecutionContext): Platform | undefined {
    const served = this.reflector.getAllAndOverride<Platform[] | undefined>(WAY_IN_PLATFORMS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!served) return undefined;
    if (!identity.platforms) return served[0];
    const allowed = served.filter((p) => identity.platforms?.includes(p));
    if (allowed.length === 0) {
      throw forbidden(
        `This API key is bound to ${identity.platforms.join(', ')} and cannot be used here.`,
        { key_platforms: identity.platforms, served_platforms: served },
      );
    }
    return allowed[0];
  }
}
