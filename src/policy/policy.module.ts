import { Module } from '@nestjs/common';
import { LinkPolicy } from './link-policy.js';
import { PhoneNumberService } from './phone-number.service.js';
import { RecipientPolicy } from './recipient-policy.js';
import { TextPolicy } from './text-policy.js';

/** Reading phone numbers, and who and what may be texted: the send path, consent and inbound share it. */
@Module({
  providers: [PhoneNumberService, RecipientPolicy, LinkPolicy, TextPolicy],
  exports: [PhoneNumberService, RecipientPolicy, LinkPolicy, TextPolicy],
})
export class PolicyModule {}
