import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  ThrottlerGuard,
  ThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import { DomainError } from '../../common/errors/domain-error.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { limiterUnavailable, rateLimited } from './rate-limited.error.js';

/** Marks a request the per-key limit has counted. */
const COUNTED = Symbol('per-key limit counted');

interface ThrottledRequest {
  apiKey?: unknown;
  [COUNTED]?: true;
}

/**
 * The per-key request rate, at the edge, answered in the error contract. A global guard
 * (AuthModule), after the AuthGuard, so it knows the key, and before the ScopeGuard, so every
 * authenticated request counts, refused or not. Routes without a key (health checks, signed
 * webhooks) are not counted. A request is counted once, even where a controller still names
 * this guard itself.
 */
@Injectable()
export class SendThrottlerGuard extends ThrottlerGuard {
  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(ThrottlerStorage) storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly metrics: MetricsService,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      throw error instanceof DomainError ? error : limiterUnavailable(error);
    }
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ThrottledRequest>();
    if (!req.apiKey || req[COUNTED]) return Promise.resolve(true);
    req[COUNTED] = true;
    return Promise.resolve(false);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const limit = detail.key.slice(0, detail.key.indexOf(':'));
    this.metrics.recordRateLimited(limit);
    throw rateLimited(limit, detail.timeToBlockExpire);
  }
}
