import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { containsNumber } from '../../logging/redaction.js';
import { CONSENT_STATES, type ConsentState } from '../consent-state.js';

/**
 * The reason is kept in the consent records and the audit trail: no phone number in any form
 * the logs would mask ((202) 555-0143, 202.555.0143, +1 202 555 0143, full-width digits).
 * ISO dates are fine.
 */
const NoPhoneNumber = () =>
  ValidateBy({
    name: 'noPhoneNumber',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !containsNumber(value),
      defaultMessage: () => 'reason must not contain a phone number',
    },
  });

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
      'Why, for the record (kept in the audit trail): who consented or revoked, how and when. No phone numbers, however written (400 VALIDATION_FAILED).',
    example: 'verbal consent on call conv_01jd8x4k2m9q7r5s3t1v',
    minLength: 3,
    maxLength: 500,
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @NoPhoneNumber()
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
