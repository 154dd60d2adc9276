import { AuditLogModule } from '../audit/audit-log.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ElevenLabsModule } from '../agents/elevenlabs/elevenlabs.module.js';
import { doctorConfig } from './doctor.config.js';
import { DoctorController } from './doctor.controller.js';
import { DoctorService, doctorSettingsProvider } from './doctor.service.js';

/** GET /api/doctor: the going-live checklist, for admin keys. */
@Module({
  imports: [ConfigModule.forFeature(doctorConfig), ElevenLabsModule, RedisModule, AuditLogModule],
  controllers: [DoctorController],
  providers: [DoctorService, doctorSettingsProvider],
})
export class DoctorModule {}
