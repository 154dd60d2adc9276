import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { repliesConfig } from '../config/replies.config.js';
import { ConsentModule } from '../consent/consent.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { PolicyModule } from '../policy/policy.module.js';
import { ConsentReplies } from './consent-replies.js';
import { InboundMessageEntity } from './inbound-message.entity.js';
import { InboundMessageStore } from './inbound-message.store.js';
import { InboundService } from './inbound.service.js';
import { ReplyRecorder } from './reply-recorder.js';

/**
 * Messages patients send to our number, whatever the provider: recorded once each
 * (inbound_messages), consent words, and replies matched to the texts they answer.
 */
@Module({
  imports: [
    ConfigModule.forFeature(repliesConfig),
    TypeOrmModule.forFeature([InboundMessageEntity]),
    AuditLogModule,
    CommonModule,
    ConsentModule,
    UnitOfWorkModule,
    MessageStoreModule,
    PolicyModule,
  ],
  providers: [InboundMessageStore, ConsentReplies, ReplyRecorder, InboundService],
  exports: [InboundMessageStore, InboundService],
})
export class InboundModule {}
