import type { INestApplication } from '@nestjs/common';

export interface AppRoute {
  method: string;
  /** The route as express holds it, e.g. /api/sms/messages/:id. */
  template: string;
  /** The template with each parameter filled with a well-formed value. */
  path: string;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** Values that pass each parameter's pipe, so a request reaches its guards and handler. */
const PARAMETER_VALUES: Record<string, string> = {
  id: '6f1c2b9e-8a3d-4c5e-9f70-1a2b3c4d5e6f',
  phone_number: '+12025550143',
};

/**
 * Every route the app serves, read from its express router (Nest's controllers, Swagger UI),
 * so a spec that walks them covers a controller added tomorrow without being edited.
 */
export function appRoutes(app: INestApplication): AppRoute[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } })
    .router;
  return router.stack.flatMap((layer) => {
    const template = layer.route?.path;
    // Nest's catch-all 404 handlers are registered as routes on every method too.
    if (typeof template !== 'string' || template.includes('*')) return [];
    const path = template.replace(/:(\w+)/g, (_, name: string) => {
      const value = PARAMETER_VALUES[name];
      if (!value) throw new Error(`No sample value for the route parameter :${name}`);
      return encodeURIComponent(value);
    });
    return Object.keys(layer.route?.methods ?? {}).map((method) => ({ method, template, path }));
  });
}

/** A route as a spec names it: "POST /api/sms/send". */
export const routeName = (route: AppRoute) => `${route.method.toUpperCase()} ${route.template}`;
