import { SendModule } from '../../send/send.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CommonModule } from '../../common/common.module.js';
import { ThrottlingModule } from '../../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { VapiSecretGuard } from './vapi-secret.guard.js';
import { VapiWayIn } from './vapi-way-in.js';
import { vapiConfig } from './vapi.config.js';
import { VapiController } from './vapi.controller.js';

/** Vapi's server URL. */
@Module({
  imports: [
    ConfigModule.forFeature(vapiConfig),
    SendModule,
    CommonModule,
    ThrottlingModule,
    MetricsCoreModule,
  ],
  controllers: [VapiController],
  providers: [VapiWayIn, VapiSecretGuard],
})
export class VapiModule {}
