import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { MessageStoreModule } from './message-store.module.js';
import { MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';
import { ReconciliationService } from './reconciliation.service.js';

/** The messages API (status, cancel) and the reconciliation of sends whose answer was lost. */
@Module({
  imports: [
    MessageStoreModule,
    ProvidersModule,
    SchedulingModule,
    AuditLogModule,
    UnitOfWorkModule,
    CommonModule,
    MetricsCoreModule,
    ThrottlingModule,
  ],
  controllers: [MessagesController],
  providers: [MessagesService, ReconciliationService],
  exports: [MessagesService],
})
export class MessagesModule {}
