import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService, UNMATCHED_ROUTE } from './metrics.service.js';

/** nginx's code for "the client closed the connection before the answer was sent". */
const CLIENT_CLOSED_REQUEST = 499;

interface MatchedRoute {
  path?: unknown;
  methods?: Record<string, boolean>;
}

/**
 * The route template express matched (/api/sms/messages/:id), never the URL with its ids.
 * Nest mounts module middleware (the pino request logger) with app.all('{/*splat}'), which
 * also sets req.route. Express gives each app.get/app.post its own route with one method,
 * while app.all registers every method on one route: that is a mount, not an endpoint (no
 * controller here uses @All), so a request that got no further counts as unmatched.
 */
function routeOf(req: Request): string {
  const route = req.route as MatchedRoute | undefined;
  if (typeof route?.path !== 'string') return UNMATCHED_ROUTE;
  if (Object.keys(route.methods ?? {}).length > 1) return UNMATCHED_ROUTE;
  return `${req.baseUrl}${route.path}`;
}

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
