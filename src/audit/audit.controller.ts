import { Controller, Get, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { readerOf } from '../auth/requester.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { AUDIT_EXPORT_CONTENT_TYPES } from './audit-export.js';
import { AuditReadService } from './audit-read.service.js';
import { AuditEventPageDto } from './dto/audit-event.dto.js';
import { AuditEventsQueryDto, AuditExportQueryDto } from './dto/audit-query.dto.js';
import { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';

@ApiTags('Audit')
@RequireScope('audit.read')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly reads: AuditReadService) {}

  @Get('events')
  @ApiOperation({
    operationId: 'list_audit_events',
    summary: 'Audit events, oldest first, filtered and paginated by cursor',
    description:
      'Every step of every send, delivery status, consent change, read of patient data and audit read. A patient is found by phone_number, which is hashed before the lookup. This read is itself recorded as an audit.read event, tagged with the patient when filtered by phone_number.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiErrorResponses(400, 401, 403, 500)
  events(
    @Query() query: AuditEventsQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<AuditEventPageDto> {
    return this.reads.events(query, readerOf(req));
  }

  @Get('verify')
  @ApiOperation({
    operationId: 'verify_audit_chain',
    summary: 'Walk the hash chain and report the first broken event',
    description:
      'ok is false when a stored event was edited, removed, inserted or reordered, written without the chain key, or when the chain no longer reaches the newest checkpoint kept outside the database (events cut from the end); first_broken_seq names the event and problem says what is wrong. Recorded as an audit.read event.',
  })
  @ApiOkResponse({ type: AuditVerifyResultDto })
  @ApiErrorResponses(401, 403, 500)
  verify(@Req() req: AuthenticatedRequest): Promise<AuditVerifyResultDto> {
    return this.reads.verify(readerOf(req));
  }

  @Get('export')
  @ApiOperation({
    operationId: 'export_audit_events',
    summary: 'Stream the audit events as NDJSON or CSV',
    description:
      'Streamed in batches, so any size exports in flat memory. NDJSON lines carry every field needed to recompute the hashes; CSV is for spreadsheets (a cell starting with = + - @ is prefixed with an apostrophe). Takes the same filters as /api/audit/events. Recorded as an audit.read event.',
  })
  @ApiProduces(AUDIT_EXPORT_CONTENT_TYPES.ndjson, AUDIT_EXPORT_CONTENT_TYPES.csv)
  @ApiOkResponse({
    description: 'One event per line, oldest first (CSV starts with a header row).',
    content: {
      [AUDIT_EXPORT_CONTENT_TYPES.ndjson]: { schema: { type: 'string' } },
      [AUDIT_EXPORT_CONTENT_TYPES.csv]: { schema: { type: 'string' } },
    },
  })
  @ApiErrorResponses(400, 401, 403, 500)
  async export(
    @Query() query: AuditExportQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<StreamableFile> {
    const format = query.format ?? 'ndjson';
    const stream = await this.reads.export(query, format, readerOf(req));
    return new StreamableFile(stream, {
      type: AUDIT_EXPORT_CONTENT_TYPES[format],
      disposition: `attachment; filename="audit-events.${format}"`,
    });
  }
}
