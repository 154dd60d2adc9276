import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { CommonModule } from '../common/common.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from '../config/app.config.js';
import { auditChainConfig, type AuditChainConfig } from '../config/audit-chain.config.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { AuditLogService } from './audit-log.service.js';
import { DeniedAttempts } from './denied-attempts.js';
import { ChainCheckpoints } from './chain-checkpoints.js';
import { ChainKeyring } from './chain-keys.js';
import { AuditChainState } from './chain-state.js';
import { AuditChainVerifier } from './chain-verifier.js';
import { ChainWriter } from './chain-writer.js';
import { ReadAuditor } from './read-auditor.js';
import { RefusalAuditor } from './refusal-auditor.js';

/**
 * The audit trail: import it and inject AuditLogService to append events. The API and the
 * scheduled verification are AuditModule's, which only the running service loads.
 */
@Module({
  imports: [
    ConfigModule.forFeature(appConfig),
    ConfigModule.forFeature(auditChainConfig),
    UnitOfWorkModule,
    CommonModule,
    MetricsCoreModule,
  ],
  providers: [
    AuditLogService,
    AuditEventRepository,
    RefusalAuditor,
    DeniedAttempts,
    ReadAuditor,
    ChainWriter,
    AuditChainVerifier,
    ChainCheckpoints,
    AuditChainState,
    {
      provide: ChainKeyring,
      inject: [auditChainConfig.KEY],
      useFactory: (config: AuditChainConfig) => new ChainKeyring(config.key, config.previousKeys),
    },
  ],
  exports: [
    AuditLogService,
    AuditEventRepository,
    RefusalAuditor,
    ReadAuditor,
    AuditChainState,
    AuditChainVerifier,
    ChainCheckpoints,
    ChainWriter,
  ],
})
export class AuditLogModule {}
