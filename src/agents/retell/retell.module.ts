import { SendModule } from '../../send/send.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CommonModule } from '../../common/common.module.js';
import { ThrottlingModule } from '../../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { RetellSignatureGuard } from './retell-signature.guard.js';
import { RetellWayIn } from './retell-way-in.js';
import { retellConfig } from './retell.config.js';
import { RetellController } from './retell.controller.js';

/** Retell's custom functions. */
@Module({
  imports: [
    ConfigModule.forFeature(retellConfig),
    SendModule,
    CommonModule,
    ThrottlingModule,
    MetricsCoreModule,
  ],
  controllers: [RetellController],
  providers: [RetellWayIn, RetellSignatureGuard],
})
export class RetellModule {}
