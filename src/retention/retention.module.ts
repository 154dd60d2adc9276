import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { eventsConfig } from '../config/events.config.js';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { ConsentRetentionStore } from '../consent/consent-retention.store.js';
import { ConsentChangeEntity, ConsentEntity } from '../consent/consent.entity.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { ScheduledTextEntity } from '../scheduling/scheduled-text.entity.js';
import { ScheduledTextStore } from '../scheduling/scheduled-text.store.js';
import { LineTypeEntity } from '../policy/line-type.entity.js';
import { LineTypeStore } from '../policy/line-type.store.js';
import { MessageEntity } from '../messages/message.entity.js';
import { MessageStore } from '../messages/message.store.js';
import { EventOutboxEntity } from '../events/event-outbox.entity.js';
import { EventOutbox } from '../events/event-outbox.js';
import { InboundMessageEntity } from '../inbound/inbound-message.entity.js';
import { InboundMessageStore } from '../inbound/inbound-message.store.js';
import { RetentionLock } from './retention-lock.js';
import { RetentionService } from './retention.service.js';
import { tablePurgesProvider } from './table-purges.js';

/**
 * Retention of every table that holds patient data, without the schedule: the app adds the
 * worker (RetentionWorkerModule), `npm run retention:purge` runs it by hand. The stores are
 * provided here too (they hold no state), so the CLI needs neither the send path nor Twilio.
 */
@Module({
  imports: [
    // The event outbox's settings: the CLI loads only what the purge needs.
    ConfigModule.forFeature(eventsConfig),
    TypeOrmModule.forFeature([
      MessageEntity,
      ScheduledTextEntity,
      ConsentEntity,
      ConsentChangeEntity,
      LineTypeEntity,
      EventOutboxEntity,
      InboundMessageEntity,
    ]),
    AuditLogModule,
    UnitOfWorkModule,
    CommonModule,
  ],
  providers: [
    MessageStore,
    ScheduledTextStore,
    ConsentRetentionStore,
    LineTypeStore,
    EventOutbox,
    InboundMessageStore,
    tablePurgesProvider,
    RetentionLock,
    RetentionService,
  ],
  exports: [RetentionService],
})
export class RetentionModule {}
