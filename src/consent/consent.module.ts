import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { Global, Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { ConsentAdminService } from './consent-admin.service.js';
import { ConsentController } from './consent.controller.js';
import { ConsentService } from './consent.service.js';

/**
 * The consent registry. Global: the send path, the Twilio webhooks and the admin API all ask
 * ConsentService. PhoneNumberService comes from the (global) SmsModule.
 */
@Global()
@Module({
  imports: [AuditLogModule, UnitOfWorkModule],
  controllers: [ConsentController],
  providers: [ConsentService, ConsentAdminService],
  exports: [ConsentService],
})
export class ConsentModule {}
