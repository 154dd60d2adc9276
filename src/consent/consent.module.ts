import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { PolicyModule } from '../policy/policy.module.js';
import { CommonModule } from '../common/common.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { ConsentAdminService } from './consent-admin.service.js';
import { ConsentController } from './consent.controller.js';
import { ConsentService } from './consent.service.js';

/**
 * The consent registry: the send path, the Twilio webhooks and the admin API all ask
 * ConsentService.
 */
@Module({
  imports: [
    AuditLogModule,
    UnitOfWorkModule,
    CommonModule,
    MetricsCoreModule,
    PolicyModule,
    ThrottlingModule,
  ],
  controllers: [ConsentController],
  providers: [ConsentService, ConsentAdminService],
  exports: [ConsentService],
})
export class ConsentModule {}
