import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { readerOf } from '../auth/requester.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { ConsentAdminService } from './consent-admin.service.js';
import { ConsentChangesQueryDto } from './dto/consent-changes-query.dto.js';
import { ConsentChangePageDto, ConsentStatusDto } from './dto/consent.dto.js';
import { RecordConsentDto } from './dto/record-consent.dto.js';

@ApiTags('Consent')
@RequireScope('admin')
@Controller('api/consent')
export class ConsentController {
  constructor(private readonly admin: ConsentAdminService) {}

  // Declared before :phone_number so that "changes" is not read as a number.
  @Get('changes')
  @ApiOperation({
    operationId: 'list_consent_changes',
    summary: 'Consent changes, newest first, filtered and paginated by cursor',
    description:
      'Every opt-out and opt-in: keyword replies (STOP, START, ...), Twilio 21610 refusals, Advanced Opt-Out reports and admin records. Numbers are shown masked; phone_number filters by one patient. Each read is recorded as a data.read audit event (under the patient when filtered by phone_number).',
  })
  @ApiOkResponse({ type: ConsentChangePageDto })
  @ApiErrorResponses(400, 401, 403, 429, 500, 503)
  changes(
    @Query() query: ConsentChangesQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ConsentChangePageDto> {
    return this.admin.listChanges(query, readerOf(req));
  }

  @Get(':phone_number')
  @ApiOperation({
    operationId: 'get_consent',
    summary: "A number's current consent",
    description:
      'opted_out: true means every send to the number is refused with RECIPIENT_OPTED_OUT. A number with no record has state null and may be texted. The answer shows the number masked. Each lookup is recorded as a data.read audit event under the patient.',
  })
  @ApiParam({
    name: 'phone_number',
    description: 'E.164 (URL-encode the + as %2B, or send it as is) or a national number.',
    example: '+12025550143',
  })
  @ApiOkResponse({ type: ConsentStatusDto })
  @ApiErrorResponses(400, 401, 403, 429, 500, 503)
  lookup(
    @Param('phone_number') phoneNumber: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<ConsentStatusDto> {
    return this.admin.lookup(phoneNumber, readerOf(req));
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'record_consent',
    summary: 'Record an opt-out or an opt-in, with the reason',
    description:
      'For consent given or revoked outside a text reply, e.g. "verbal consent on call conv_123". Recorded with the API key name as actor, in the consent history and the audit log. Answers with the new current consent.',
  })
  @ApiCreatedResponse({ type: ConsentStatusDto })
  @ApiErrorResponses(400, 401, 403, 429, 500)
  record(
    @Body() dto: RecordConsentDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ConsentStatusDto> {
    return this.admin.record(dto, readerOf(req));
  }
}
