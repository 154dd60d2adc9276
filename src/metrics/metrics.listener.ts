import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsConfig } from '../config/metrics.config.js';
import { MetricsService } from './metrics.service.js';

/**
 * With METRICS_PORT set, serves GET /metrics without a key on its own plain node:http server
 * bound to METRICS_HOST, apart from the API (no auth, no Nest pipeline, nothing else served).
 * It starts with the HTTP application only: a CLI's application context never binds the port.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(metricsConfig.KEY) private readonly config: ConfigType<typeof metricsConfig>,
    private readonly metrics: MetricsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.port === undefined || !this.adapterHost.httpAdapter) return;
    const server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(new Error(`The metrics listener (METRICS_PORT) cannot start: ${error.message}`));
      server.once('error', fail);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', fail);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.logger.log(`Metrics on http://${this.config.host}:${port}/metrics`);
  }

  /** Where the listener is bound (port 0 picks a free one), or undefined when it is not running. */
  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A scraper's keep-alive connection must not hold the shutdown.
      server.closeAllConnections();
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    this.metrics.render().then(
      (body) => {
        res.writeHead(200, {
          'Content-Type': this.metrics.contentType,
          'Cache-Control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        this.logger.error(
          `Collecting metrics failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        res.writeHead(500).end();
      },
    );
  }
}
