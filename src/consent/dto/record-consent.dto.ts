import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CONSENT_STATES, type ConsentState } from '../consent-state.js';

/** Also what the audit log refuses in details: the reason is stored in the audit trail. */
const NO_PHONE_NUMBER = /^(?![\s\S]*\+[1-9]\d{6,14})/;

export class RecordConsentDto {
  @ApiProperty({
    description: 'The number, in E.164 or as written in DEFAULT_COUNTRY; stored normalised.',
    example: '+12025550143',
    maxLength: 32,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  phone_number: string;

  @ApiProperty({
    enum: CONSENT_STATES,
    description: 'opted_out stops every text to the number; opted_in allows them again.',
    example: 'opted_in',
  })
  @IsIn(CONSENT_STATES)
  state: ConsentState;

  @ApiProperty({
    description:
      'Why, for the record (kept in the audit trail): who consented or revoked, how and when. No phone numbers.',
    example: 'verbal consent on call conv_01jd8x4k2m9q7r5s3t1v',
    minLength: 3,
    maxLength: 500,
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @Matches(NO_PHONE_NUMBER, { message: 'reason must not contain a phone number' })
  reason: string;

  @ApiPropertyOptional({
    description: 'The conversation in which the patient gave or revoked consent.',
    example: 'conv_01jd8x4k2m9q7r5s3t1v',
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[\w.:-]+$/, { message: 'conversation_id may only hold letters, digits, _ . : -' })
  conversation_id?: string;
}
