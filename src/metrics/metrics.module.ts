import { MetricsCoreModule } from './metrics-core.module.js';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { metricsConfig } from '../config/metrics.config.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsListener } from './metrics.listener.js';

/**
 * GET /metrics is a controller on the main port
 * (admin scope) or, with METRICS_PORT, only on MetricsListener's own port. configureApp
 * installs HttpMetricsMiddleware first in the express chain.
 */
@Module({})
export class MetricsModule {
  static async forRoot(): Promise<DynamicModule> {
    // The choice of port needs the .env file loaded; AppModule's ConfigModule.forRoot does that.
    await ConfigModule.envVariablesLoaded;
    return {
      module: MetricsModule,
      imports: [ConfigModule.forFeature(metricsConfig), MetricsCoreModule],
      controllers: servesOnMainPort() ? [MetricsController] : [],
      providers: [MetricsListener],
      exports: [MetricsCoreModule],
    };
  }
}

/**
 * A bad value must not reject here: Nest awaits this module late, and an early rejection
 * would crash the boot with a stack. ConfigModule.forFeature reports it, like any setting.
 */
function servesOnMainPort(): boolean {
  try {
    return metricsConfig().port === undefined;
  } catch {
    return false;
  }
}
