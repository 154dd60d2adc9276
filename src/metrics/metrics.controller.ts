import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { MetricsService } from './metrics.service.js';

/** Registered only when METRICS_PORT is unset; otherwise MetricsListener serves /metrics. */
@ApiTags('Metrics')
@RequireScope('admin')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'get_metrics',
    summary: 'Prometheus metrics (text format)',
    description:
      'Requests per route and status, sends per tool and outcome, SMS provider latency, breaker state, rate-limit rejections, audit append latency, and Node process metrics. Needs the admin scope; with METRICS_PORT set it moves to a separate listener instead.',
  })
  @ApiProduces(prometheusContentType)
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4.',
    schema: { type: 'string' },
  })
  @ApiErrorResponses(401, 403)
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
