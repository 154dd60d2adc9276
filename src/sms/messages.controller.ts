import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { SendThrottlerGuard } from '../throttling/send-throttler.guard.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
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
    summary: "A message's latest status (never its text)",
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'message_id from the send answer' })
  @ApiOkResponse({ type: MessageStatusDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<MessageStatusDto> {
    return this.sms.status(id);
  }
}
