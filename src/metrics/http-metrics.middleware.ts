import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { routeTemplateOf } from '../common/http/route-template.js';
import { MetricsService, UNMATCHED_ROUTE } from './metrics.service.js';

/** nginx's code for "the client closed the connection before the answer was sent". */
const CLIENT_CLOSED_REQUEST = 499;

/** The matched route's template; a request that matched no endpoint counts as unmatched. */
const routeOf = (req: Request): string => routeTemplateOf(req) ?? UNMATCHED_ROUTE;

/**
 * Counts and times every HTTP answer. An express middleware, installed first by configureApp,
 * rather than a Nest interceptor: interceptors never see requests refused by a guard (401,
 * 403, 429) or before routing (404, 413, 415, malformed JSON), and those are the ones an
 * operator most needs to see. The route is read when the response closes, once express has
 * matched it; Nest runs guards, pipes and filters inside the matched route.
 */
@Injectable()
export class HttpMetricsMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      this.metrics.observeHttpRequest(req.method, routeOf(req), status, seconds);
    });
    next();
  };
}
