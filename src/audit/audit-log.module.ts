import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { CommonModule } from '../common/common.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../config/app.config.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditReadService } from './audit-read.service.js';
import { AuditController } from './audit.controller.js';
import { DeniedAttempts } from './denied-attempts.js';
import { ReadAuditor } from './read-auditor.js';
import { RefusalAuditor } from './refusal-auditor.js';

/** The audit trail: import it and inject AuditLogService to append events. */
@Module({
  imports: [ConfigModule.forFeature(appConfig), UnitOfWorkModule, CommonModule, MetricsCoreModule],
  controllers: [AuditController],
  providers: [
    AuditLogService,
    AuditEventRepository,
    AuditReadService,
    RefusalAuditor,
    DeniedAttempts,
    ReadAuditor,
  ],
  exports: [AuditLogService, AuditEventRepository, RefusalAuditor, ReadAuditor],
})
export class AuditLogModule {}
