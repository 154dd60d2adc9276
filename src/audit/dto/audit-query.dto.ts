import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/page-query.dto.js';
import { AUDIT_ACTIONS, type AuditAction } from '../audit-event.js';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../audit-export.js';

const IDENTIFIER = /^[\w.:-]+$/;

/** Filters shared by the list and the export; every one narrows the result. */
export class AuditFiltersDto {
  @ApiPropertyOptional({
    description: 'Events at or after this instant (ISO 8601 with offset).',
    example: LOAD_TIME_EXAMPLES.range_from,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Events before this instant (ISO 8601 with offset).',
    example: LOAD_TIME_EXAMPLES.range_to,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, example: 'sms.sent' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({
    description: "API key name, 'twilio' or 'system'.",
    example: 'voice-agent',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER, { message: 'actor may only hold letters, digits, _ . : -' })
  actor?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  @IsOptional()
  @IsUUID()
  message_id?: string;

  @ApiPropertyOptional({ example: 'conv_01jd8x4k2m9q7r5s3t1v', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(IDENTIFIER, { message: 'conversation_id may only hold letters, digits, _ . : -' })
  conversation_id?: string;

  @ApiPropertyOptional({ example: 'req-1f3a7c9e', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(IDENTIFIER, { message: 'request_id may only hold letters, digits, _ . : -' })
  request_id?: string;

  @ApiPropertyOptional({
    description:
      "A patient's number in E.164. Hashed with AUDIT_HASH_KEY before the lookup; never stored or logged.",
    example: '+12025550143',
  })
  @IsOptional()
  @Matches(/^\+[1-9]\d{1,14}$/, {
    message: 'phone_number must be in E.164: + then the country code and number',
  })
  phone_number?: string;
}

export class AuditEventsQueryDto extends IntersectionType(AuditFiltersDto, PageQueryDto) {}

export class AuditExportQueryDto extends AuditFiltersDto {
  @ApiPropertyOptional({ enum: AUDIT_EXPORT_FORMATS, default: 'ndjson', example: 'ndjson' })
  @IsOptional()
  @IsIn(AUDIT_EXPORT_FORMATS)
  format?: AuditExportFormat;
}
