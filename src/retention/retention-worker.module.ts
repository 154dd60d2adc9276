import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module.js';
import { RetentionModule } from './retention.module.js';
import { RetentionWorker } from './retention.worker.js';

/** The scheduled purge, for the service (RETENTION_INTERVAL_MINUTES). */
@Module({
  imports: [RetentionModule, CommonModule],
  providers: [RetentionWorker],
})
export class RetentionWorkerModule {}
