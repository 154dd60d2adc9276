import { MessageStoreModule } from '../../../messages/message-store.module.js';
import { MetricsCoreModule } from '../../../metrics/metrics-core.module.js';
import { PolicyModule } from '../../../policy/policy.module.js';
import { CommonModule } from '../../../common/common.module.js';
import { UnitOfWorkModule } from '../../../database/unit-of-work.module.js';
import { Module } from '@nestjs/common';
import { AuditLogModule } from '../../../audit/audit-log.module.js';
import { ConsentModule } from '../../../consent/consent.module.js';
import { ThrottlingModule } from '../../../limits/edge/throttling.module.js';
import { InboundModule } from '../../../inbound/inbound.module.js';
import { DeliveryStatusService } from './delivery-status.service.js';
import { InboundMessageService } from './inbound-message.service.js';
import { InboundController } from './inbound.controller.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { TwilioWebhooksController } from './twilio-webhooks.controller.js';

@Module({
  imports: [
    AuditLogModule,
    ConsentModule,
    UnitOfWorkModule,
    CommonModule,
    PolicyModule,
    MetricsCoreModule,
    ThrottlingModule,
    InboundModule,
    MessageStoreModule,
  ],
  controllers: [TwilioWebhooksController, InboundController],
  providers: [DeliveryStatusService, InboundMessageService, TwilioSignatureGuard],
})
export class TwilioWebhooksModule {}
