import { HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import type { Platform } from '../config/auth.config.js';
import { AuthFailureLimiter } from '../limits/edge/auth-failure.limiter.js';
import { ApiKeyRegistry, type ApiKeyIdentity } from './api-key.registry.js';
import { IS_PUBLIC } from './auth.decorators.js';

export interface AuthenticatedRequest extends Request {
  apiKey?: ApiKeyIdentity;
  /** The platform this request is recorded as: the key's own where it is bound to one. */
  platform?: Platform;
}

export function unauthorized(message: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHORIZED, message, {
    status: HttpStatus.UNAUTHORIZED,
    agentMessage: "I'm not able to send texts right now because this assistant isn't authorized.",
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

/** Reads the key from Authorization: Bearer or X-API-Key; both present and different is refused. */
export function presentedKey(req: Request): string | undefined {
  const header = req.header('authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const apiKey = req.header('x-api-key')?.trim() || undefined;
  if (header && !bearer) throw unauthorized('The Authorization header must be "Bearer <API key>".');
  if (bearer && apiKey && bearer !== apiKey) {
    throw unauthorized('Authorization and X-API-Key disagree.');
  }
  return bearer ?? apiKey;
}

/**
 * Who is calling: the first of the global guards (AuthModule), then the per-key limit, then
 * the ScopeGuard. An address locked out for failed keys is refused before any key is looked
 * at, so the right key does not open a locked door.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    await this.failures.refuseIfLockedOut(req.ip);
    try {
      req.apiKey = this.authenticate(req);
    } catch (error) {
      // Guessing keys from one address turns into 429s, stricter than normal traffic.
      await this.failures.recordFailure(req.ip);
      throw error;
    }
    return true;
  }

  private authenticate(req: Request): ApiKeyIdentity {
    const key = presentedKey(req);
    if (!key) {
      throw unauthorized('An API key is required (Authorization: Bearer <key> or X-API-Key).');
    }
    const identity = this.keys.identify(key);
    if (!identity) throw unauthorized('The API key is not valid.');
    return identity;
  }
}
