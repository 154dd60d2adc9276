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

/**
 * The per-key request rate, at the edge, answered in the error contract. Runs after the
 * AuthGuard (it is a route guard), so the per-key limit knows the key's name.
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

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const limit = detail.key.slice(0, detail.key.indexOf(':'));
    this.metrics.recordRateLimited(limit);
    throw rateLimited(limit, detail.timeToBlockExpire);
  }
}
