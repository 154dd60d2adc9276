import type { Request } from 'express';

interface MatchedRoute {
  path?: unknown;
  methods?: Record<string, boolean>;
}

/**
 * The route template express matched (/api/consent/:phone_number), never the URL with its ids
 * or numbers; undefined when no endpoint matched. Nest mounts module middleware (the pino
 * request logger) with app.all('{/*splat}'), which also sets req.route. Express gives each
 * app.get/app.post its own route with one method, while app.all registers every method on one
 * route: that is a mount, not an endpoint (no controller here uses @All).
 */
export function routeTemplateOf(req: Request): string | undefined {
  const route = req.route as MatchedRoute | undefined;
  if (typeof route?.path !== 'string') return undefined;
  if (Object.keys(route.methods ?? {}).length > 1) return undefined;
  return `${req.baseUrl}${route.path}`;
}
