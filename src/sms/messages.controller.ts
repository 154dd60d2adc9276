import { Controller, Delete, Get, Param, ParseUUIDPipe, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { requestIdOf } from '../common/http/request-id.js';
import { SendThrottlerGuard } from '../limits/edge/send-throttler.guard.js';
import { MessageStatusDto } from './dto/send-result.dto.js';
import { SmsService } from './sms.service.js';

@ApiTags('Messages')
@RequireScope('sms.read')
@UseGuards(SendThrottlerGuard)
@Controller('api/sms/messages')
export class MessagesController {
  constructor(private readonly sms: SmsService) {}

  @Get(':id')
  @ApiOperation({
    operationId: 'get_message',
    summary: "A message's latest status and scheduled time (never its text)",
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'message_id from the send answer' })
  @ApiOkResponse({ type: MessageStatusDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<MessageStatusDto> {
    return this.sms.status(id);
  }

  @Delete(':id')
  @RequireScope('sms.send')
  @ApiOperation({
    operationId: 'cancel_message',
    summary: 'Cancel a scheduled message before it goes out',
    description:
      'Only a message in status scheduled can be canceled (409 MESSAGE_NOT_CANCELABLE otherwise).',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'message_id from the send answer' })
  @ApiOkResponse({
    type: MessageStatusDto,
    description: 'Canceled; the message now shows status canceled.',
  })
  @ApiErrorResponses(400, 401, 403, 404, 409, 502)
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<MessageStatusDto> {
    return this.sms.cancel(id, {
      apiKeyName: req.apiKey?.name ?? 'anonymous',
      requestId: requestIdOf(req),
    });
  }
}
