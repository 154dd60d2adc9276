import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/page-query.dto.js';
import {
  CONSENT_SOURCES,
  CONSENT_STATES,
  type ConsentSource,
  type ConsentState,
} from '../consent-state.js';

const IDENTIFIER = /^[\w.:-]+$/;

/** Every filter narrows the list. */
export class ConsentChangesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: "One patient's changes: the number in E.164 or as written in DEFAULT_COUNTRY.",
    example: '+12025550143',
    maxLength: 32,
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  @ApiPropertyOptional({ enum: CONSENT_STATES, example: 'opted_out' })
  @IsOptional()
  @IsIn(CONSENT_STATES)
  state?: ConsentState;

  @ApiPropertyOptional({ enum: CONSENT_SOURCES, example: 'keyword' })
  @IsOptional()
  @IsIn(CONSENT_SOURCES)
  source?: ConsentSource;

  @ApiPropertyOptional({
    description: "API key name, or 'twilio'.",
    example: 'ops',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER, { message: 'actor may only hold letters, digits, _ . : -' })
  actor?: string;

  @ApiPropertyOptional({ example: 'conv_01jd8x4k2m9q7r5s3t1v', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(IDENTIFIER, { message: 'conversation_id may only hold letters, digits, _ . : -' })
  conversation_id?: string;

  @ApiPropertyOptional({
    description: 'Changes at or after this instant (ISO 8601 with offset).',
    example: LOAD_TIME_EXAMPLES.range_from,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Changes before this instant (ISO 8601 with offset).',
    example: LOAD_TIME_EXAMPLES.range_to,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
