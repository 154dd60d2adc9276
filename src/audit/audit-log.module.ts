import { Module } from '@nestjs/common';
import { AuditLogService } from './audit-log.service.js';
import { AuditReadService } from './audit-read.service.js';
import { AuditController } from './audit.controller.js';

/** The audit trail: import it and inject AuditLogService to append events. */
@Module({
  controllers: [AuditController],
  providers: [AuditLogService, AuditReadService],
  exports: [AuditLogService],
})
export class AuditLogModule {}
