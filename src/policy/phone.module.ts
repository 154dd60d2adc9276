import { Module } from '@nestjs/common';
import { PhoneNumberService } from './phone-number.service.js';

/** Reading phone numbers: the send pipeline, consent and the inbound webhook share it. */
@Module({ providers: [PhoneNumberService], exports: [PhoneNumberService] })
export class PhoneModule {}
