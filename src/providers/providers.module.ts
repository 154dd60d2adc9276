import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { twilioConfig } from '../config/twilio.config.js';
import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { ResilientProvider } from './resilient-provider.js';
import { SandboxController } from './sandbox/sandbox.controller.js';
import { SandboxOutboxService } from './sandbox/sandbox-outbox.service.js';
import { SandboxProvider } from './sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from './sms-provider.js';
import { TwilioProvider } from './twilio/twilio.provider.js';

/** The provider this instance sends through, behind retries and a circuit breaker. */
@Module({
  imports: [MessageStoreModule, AuditLogModule, CommonModule, MetricsCoreModule, ThrottlingModule],
  controllers: [SandboxController],
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [twilioConfig.KEY],
      useFactory: (config: ConfigType<typeof twilioConfig>) =>
        config.enabled ? new TwilioProvider(config) : new SandboxProvider(),
    },
    ResilientProvider,
    SandboxOutboxService,
  ],
  exports: [SMS_PROVIDER, ResilientProvider],
})
export class ProvidersModule {}
