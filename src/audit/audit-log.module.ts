import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../config/app.config.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditReadService } from './audit-read.service.js';
import { AuditController } from './audit.controller.js';
import { RefusalAuditor } from './refusal-auditor.js';

/** The audit trail: import it and inject AuditLogService to append events. */
@Module({
  imports: [ConfigModule.forFeature(appConfig), UnitOfWorkModule],
  controllers: [AuditController],
  providers: [AuditLogService, AuditReadService, RefusalAuditor],
  exports: [AuditLogService, RefusalAuditor],
})
export class AuditLogModule {}
