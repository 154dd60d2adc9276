import { Module, type DynamicModule } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import type { ProviderRegistration } from './provider-registration.js';
import { ProvidersModule } from './providers.module.js';

/**
 * What every registered provider mounts (webhooks, the sandbox outbox), whichever one sends,
 * so a provider's routes answer the same in every configuration.
 */
@Module({})
export class ProviderMountsModule {
  static forRoot(registrations: readonly ProviderRegistration[]): DynamicModule {
    return {
      module: ProviderMountsModule,
      imports: [
        ProvidersModule,
        MessageStoreModule,
        AuditLogModule,
        CommonModule,
        MetricsCoreModule,
        ThrottlingModule,
        ...registrations.flatMap((r) => r.mounts.imports ?? []),
      ],
      controllers: registrations.flatMap((r) => r.mounts.controllers ?? []),
      providers: registrations.flatMap((r) => r.mounts.providers ?? []),
    };
  }
}
