import { Inject, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  ThrottlerGuard,
  ThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import { DomainError } from '../../common/errors/domain-error.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { limiterUnavailable, rateLimited } from './rate-limited.error.js';

const REQUEST_WEIGHT = Symbol('per-key limit weight');

/** The most one request may count: a weight is read from a body the pipeline has not checked. */
const MAX_WEIGHT = 100;

/**
 * How many requests one request counts as: a way in whose one request runs several tool calls
 * (a Vapi tool-calls message) counts each, so a batch cannot multiply the per-key limit.
 */
export const RequestWeight = (weightOf: (body: unknown) => number) =>
  SetMetadata(REQUEST_WEIGHT, weightOf);

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

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const weightOf = this.reflector.getAllAndOverride<((body: unknown) => number) | undefined>(
      REQUEST_WEIGHT,
      [props.context.getHandler(), props.context.getClass()],
    );
    const req = props.context.switchToHttp().getRequest<{ body?: unknown }>();
    const weight = weightOf ? Math.min(MAX_WEIGHT, Math.max(1, Math.floor(weightOf(req.body)))) : 1;
    if (weight > 1) {
      const tracker = await props.getTracker(req as Record<string, unknown>, props.context);
      const key = props.generateKey(props.context, tracker, props.throttler.name ?? 'default');
      for (let extra = 1; extra < weight; extra += 1) {
        await this.storageService.increment(
          key,
          props.ttl,
          props.limit,
          props.blockDuration,
          props.throttler.name ?? 'default',
        );
      }
    }
    return super.handleRequest(props);
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
