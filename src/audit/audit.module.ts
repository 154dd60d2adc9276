import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { AuditLogModule } from './audit-log.module.js';
import { AuditReadService } from './audit-read.service.js';
import { AuditController } from './audit.controller.js';
import { AuditChainMonitor } from './chain-monitor.service.js';

/** The audit trail as the running service has it: the API under /api/audit, the scheduled verification. */
@Module({
  imports: [AuditLogModule, CommonModule, MetricsCoreModule],
  controllers: [AuditController],
  providers: [AuditReadService, AuditChainMonitor],
})
export class AuditModule {}
