import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { AuditChainState } from '../audit/chain-state.js';
import { Public } from '../auth/auth.decorators.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';
import { ResilientProvider } from '../providers/resilient-provider.js';

const CHECK_TIMEOUT_MS = 1000;

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly transport: ResilientProvider,
    private readonly auditChain: AuditChainState,
  ) {}

  @Get('live')
  @ApiOperation({
    operationId: 'health_live',
    summary: 'The process is up (no dependencies checked)',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'health_ready',
    summary:
      'Ready for traffic: database reachable, Redis reachable when configured, a transport configured; audit_chain reports the last chain verification',
  })
  @ApiOkResponse({ description: 'Every check is up.' })
  @ApiServiceUnavailableResponse({ description: 'At least one check is down; `error` names it.' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () =>
          this.indicators
            .check('redis')
            .attempt(async () => {
              if (!this.redis) return { configured: false };
              await this.redis.ping();
              return { configured: true };
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () => this.transportCheck(),
        () => this.auditChainCheck(),
      ]);
    } catch (error) {
      // Keep terminus' report (which check failed) rather than the generic error contract.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse() as HealthCheckResult;
    }
  }

  /** Down while the provider's circuit breaker is open: no send can succeed until it closes. */
  private transportCheck(): HealthIndicatorResult {
    const indicator = this.indicators.check('transport');
    const details = { name: this.transport.name, breaker: this.transport.state };
    return details.breaker === 'open' ? indicator.down(details) : indicator.up(details);
  }

  /**
   * A broken chain shows here always, but takes the instance out of rotation only when it
   * refuses texts anyway (AUDIT_BROKEN_CHAIN=refuse): with `record`, sending goes on. No seq
   * numbers: this endpoint is public, and they would tell the traffic (the doctor has them).
   */
  private auditChainCheck(): HealthIndicatorResult {
    const indicator = this.indicators.check('audit_chain');
    const { state, problem } = this.auditChain.status;
    const details = { state, problem };
    return this.auditChain.refusesTexts ? indicator.down(details) : indicator.up(details);
  }
}
