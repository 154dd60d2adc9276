import { ProvidersModule } from '../providers/providers.module.js';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';

@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    RedisModule,
    AuditLogModule,
    ProvidersModule,
  ],
  controllers: [HealthController],
})
export class HealthModule {}
