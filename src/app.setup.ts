import { HttpStatus, type INestApplication } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import express, { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import {
  keepRawBody,
  PLATFORM_BODY_PATHS,
  WAY_IN_TAGS,
  type WayInTag,
} from './agents/shared/platform-body.js';
import { API_KEY_SECURITY, BEARER_SECURITY } from './auth/auth.decorators.js';
import { Clock } from './common/clock.js';
import { withDatedExamples } from './common/dated-examples.js';
import { answerClientErrors } from './common/errors/client-error.handler.js';
import { DomainError } from './common/errors/domain-error.js';
import { ErrorCode } from './common/errors/error-codes.js';
import { refuseDeepBodies } from './common/http/body-depth.js';
import { requestIdMiddleware } from './common/http/request-id.js';
import { appConfig, type AppConfig } from './config/app.config.js';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Routing is case-sensitive (RFC 3986 paths are): /API/SMS/SEND is not a route, so no check
 * keyed on a path can be passed by changing its case. Express reads the setting when it makes
 * its router, which Nest's adapter does at once: main.ts and the tests build the app on this.
 */
export function createHttpAdapter(): ExpressAdapter {
  return new ExpressAdapter(express().enable('case sensitive routing'));
}

/**
 * Every route takes JSON only, except Twilio's webhooks, which post forms only. Any other body
 * would reach a handler unparsed. Compared without case, so it holds even where routing did not.
 */
function requireBodyType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  if (!hasBody) {
    next();
    return;
  }
  const expected = req.path.toLowerCase().startsWith('/api/twilio/') ? FORM : 'application/json';
  if (!req.is(expected)) {
    next(
      new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Send the body as ${expected}.`, {
        status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
      }),
    );
    return;
  }
  next();
}

/** Health checks and the API docs carry no patient data; they alone may be cached. */
const CACHEABLE_PATH = /^\/(health\/|docs(\/|-json$|-yaml$|$))/;

/** Answers can carry patient data: no cache (browser, proxy, CDN) may keep one, errors included. */
function noStore(req: Request, res: Response, next: NextFunction): void {
  if (!CACHEABLE_PATH.test(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('agent-sms-gateway')
    .setDescription(
      'SMS server tools for voice AI agents. Each tool texts a patient through Twilio (or the sandbox) and answers with an agent_message the agent can say. Every error uses one contract: { success: false, error: { code, message, retryable }, agent_message, request_id }.',
    )
    .setVersion('0.1.0')
    // Relative: the document's own address is the service's, behind any proxy or PUBLIC_BASE_URL.
    .addServer('/', 'This service')
    // Swagger UI lists tags in this order: the tools a newcomer came for, then operations.
    .addTag('SMS tools', 'The tools a voice agent calls to text a patient, one send pipeline.')
    .addTag('Messages', "A sent or scheduled message's status, and canceling a scheduled one.")
    .addTag('Preview', "A tool's text as it would go out, without sending it.")
    .addTag(
      'Sandbox',
      'What the sandbox transport "sent" and refused, and a simulated patient reply (sandbox only).',
    )
    .addTag('Doctor', 'The checklist before going live.')
    .addTag('Health', 'Liveness and readiness checks for orchestrators (no API key).')
    .addTag('Metrics', 'Prometheus metrics.')
    .addTag('Audit', 'The hash-chained audit log: read, verify, export.')
    .addTag('Consent', "Patients' opt-outs and opt-ins.")
    .addTag('Events', "Events sent to the clinic's endpoint: dead letters and redelivery.");
  // Each way in's tag, as its registration declares it (src/agents/ways-in.ts).
  for (const tag of app.get<WayInTag[]>(WAY_IN_TAGS)) builder.addTag(tag.name, tag.description);
  const config = builder
    .addTag(
      'Twilio webhooks',
      'Callbacks Twilio posts, signed with X-Twilio-Signature (no API key).',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY_SECURITY)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token' },
      BEARER_SECURITY,
    )
    .build();
  // package.json's licence; DocumentBuilder.setLicense would also write an empty url.
  config.info.license = { name: 'UNLICENSED' };
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
}

/** Express-level set-up shared by main.ts and the e2e tests, so tests run the real pipeline. */
export function configureApp(app: NestExpressApplication): AppConfig {
  const config = app.get<AppConfig>(appConfig.KEY);
  const instance: express.Express = app.getHttpAdapter().getInstance();
  if (!instance.enabled('case sensitive routing')) {
    throw new Error('Create the app on createHttpAdapter(): routing must be case-sensitive.');
  }

  app.set('trust proxy', config.trustProxy);
  answerClientErrors(app.getHttpServer());
  // First, so answers from every later stage (auth, body limits, 404) are counted.
  app.use(app.get(HttpMetricsMiddleware).handle);
  app.use(requestIdMiddleware);
  app.use(noStore);
  app.use(helmet());
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, methods: ['GET', 'POST', 'DELETE'] });
  }
  app.use(requireBodyType);
  // First: a body this parser read is not parsed again by the general one below.
  const platformBodyPaths = app.get<string[]>(PLATFORM_BODY_PATHS);
  if (platformBodyPaths.length > 0) {
    app.use(platformBodyPaths, json({ limit: config.platformBodyLimitBytes, verify: keepRawBody }));
  }
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  // Twilio's webhooks post forms.
  app.useBodyParser('urlencoded', { extended: false, limit: config.bodyLimitBytes });
  app.use(refuseDeepBodies);
  if (config.docsEnabled) {
    const clock = app.get(Clock);
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs-json',
      customSiteTitle: 'agent-sms-gateway API',
      swaggerOptions: { persistAuthorization: true },
      // Date examples as of this request, so "Try it out" works on any day.
      patchDocumentOnRequest: (_req, _res, document) => withDatedExamples(document, clock.now()),
    });
  }
  return config;
}
