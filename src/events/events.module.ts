import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { EventDeliveryWorker } from './event-delivery.worker.js';
import { EventOutboxEntity } from './event-outbox.entity.js';
import { EventOutbox } from './event-outbox.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { EventsFromAudit } from './events-from-audit.js';
import { WebhookSender } from './webhook-sender.js';

/**
 * Events out: the outbox the changes write to, the worker that delivers it signed (Standard
 * Webhooks) to EVENTS_WEBHOOK_URL, and the admin API over it.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([EventOutboxEntity]),
    AuditLogModule,
    UnitOfWorkModule,
    CommonModule,
    MetricsCoreModule,
    ThrottlingModule,
  ],
  controllers: [EventsController],
  providers: [EventOutbox, WebhookSender, EventDeliveryWorker, EventsService, EventsFromAudit],
  exports: [EventOutbox],
})
export class EventsModule {}
