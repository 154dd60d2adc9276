import { Injectable, type INestApplication } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../../app.setup.js';
import { Clock } from '../../common/clock.js';
import { withDatedExamples } from '../../common/dated-examples.js';

/** What SwaggerModule.createDocument and buildOpenApiDocument read from an application. */
interface DocumentedApplication {
  container: unknown;
  config: unknown;
  getHttpAdapter(): unknown;
  get(token: unknown): unknown;
}

/**
 * The same OpenAPI document /docs-json serves, built inside a request. Nest does not inject
 * the application itself, so this hands Swagger the container, config and adapter it reads
 * from one. The routes are read once.
 */
@Injectable()
export class OpenApiDocumentSource {
  private document?: OpenAPIObject;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
    private readonly clock: Clock,
  ) {}

  /** Routes do not change after boot; date examples do, so they are set on each read. */
  get(): OpenAPIObject {
    this.document ??= buildOpenApiDocument(this.application());
    return withDatedExamples(this.document, this.clock.now());
  }

  private application(): INestApplication {
    // ModuleRef keeps the container as a protected field; the application config hangs off it.
    const container = (this.moduleRef as unknown as { container: { applicationConfig: unknown } })
      .container;
    const app: DocumentedApplication = {
      container,
      config: container.applicationConfig,
      getHttpAdapter: () => this.adapterHost.httpAdapter,
      get: (token) => this.moduleRef.get(token as symbol, { strict: false }),
    };
    return app as unknown as INestApplication;
  }
}
