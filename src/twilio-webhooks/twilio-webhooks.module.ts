import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { DeliveryStatusService } from './delivery-status.service.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { TwilioWebhooksController } from './twilio-webhooks.controller.js';

@Module({
  imports: [AuditLogModule],
  controllers: [TwilioWebhooksController],
  providers: [DeliveryStatusService, TwilioSignatureGuard],
})
export class TwilioWebhooksModule {}
