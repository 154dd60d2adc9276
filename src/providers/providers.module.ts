import { Module } from '@nestjs/common';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { CHOSEN_PROVIDER } from './provider.config.js';
import type { ChosenProvider } from './provider-registration.js';
import { ResilientProvider } from './resilient-provider.js';
import { SMS_PROVIDER } from './sms-provider.js';

/**
 * The provider this instance sends through (chosen at boot, see provider.config.ts), behind
 * retries and a circuit breaker.
 */
@Module({
  imports: [MetricsCoreModule],
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [CHOSEN_PROVIDER],
      useFactory: (chosen: ChosenProvider) => chosen.create(),
    },
    ResilientProvider,
  ],
  exports: [SMS_PROVIDER, ResilientProvider],
})
export class ProvidersModule {}
