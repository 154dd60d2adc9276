import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { ConsentModule } from '../consent/consent.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { DispatchQueue } from './dispatch-queue.js';
import { DispatcherService } from './dispatcher.service.js';
import { ScheduledTextEntity } from './scheduled-text.entity.js';
import { ScheduledTextStore } from './scheduled-text.store.js';
import { SendScheduler } from './send-scheduler.js';

/** When a text goes out (quiet hours, send_at), and the dispatcher that sends it then. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ScheduledTextEntity]),
    MessageStoreModule,
    ProvidersModule,
    AuditLogModule,
    ConsentModule,
    UnitOfWorkModule,
    CommonModule,
    MetricsCoreModule,
  ],
  providers: [ScheduledTextStore, SendScheduler, DispatchQueue, DispatcherService],
  exports: [ScheduledTextStore, SendScheduler, DispatcherService],
})
export class SchedulingModule {}
