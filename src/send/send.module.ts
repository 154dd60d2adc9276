import { InboundModule } from '../inbound/inbound.module.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { CommonModule } from '../common/common.module.js';
import { ConsentModule } from '../consent/consent.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { TextLimits } from '../limits/text-limits.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { LineTypeEntity } from '../policy/line-type.entity.js';
import { LineTypeStore } from '../policy/line-type.store.js';
import { PolicyModule } from '../policy/policy.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { ClaimConflicts } from './claim-conflicts.js';
import { PreviewService } from './preview.service.js';
import { SendPipeline } from './send-pipeline.js';
import { SEND_STAGES, sendStageProviders } from './send-stages.js';

/** The send pipeline and its stages: what every way in calls. */
@Module({
  imports: [
    TypeOrmModule.forFeature([LineTypeEntity]),
    PolicyModule,
    SchedulingModule,
    MessageStoreModule,
    InboundModule,
    ProvidersModule,
    AuditLogModule,
    ConsentModule,
    UnitOfWorkModule,
    CommonModule,
    MetricsCoreModule,
    RedisModule,
  ],
  providers: [
    SendPipeline,
    ...sendStageProviders(SEND_STAGES),
    ClaimConflicts,
    LineTypeStore,
    TextLimits,
    PreviewService,
  ],
  exports: [SendPipeline, PreviewService],
})
export class SendModule {}
