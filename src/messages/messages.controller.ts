import { Controller, Delete, Get, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope, WayIn } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { readerOf } from '../auth/requester.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { MessageStatusDto } from '../send/dto/send-result.dto.js';
import { MessagesService, type MessageReader } from './messages.service.js';

/** Whose messages a key sees: its own, or every key's with sms.read_all. */
export function messageReaderOf(req: AuthenticatedRequest): MessageReader {
  return {
    apiKeyName: req.apiKey?.name ?? 'anonymous',
    readsAll: req.apiKey?.scopes.includes('sms.read_all') ?? false,
  };
}

@ApiTags('Messages')
@RequireScope('sms.read')
@Controller('api/sms/messages')
export class MessagesController {
  constructor(private readonly sms: MessagesService) {}

  @Get(':id')
  @ApiOperation({
    operationId: 'get_message',
    summary: "A message's latest status and scheduled time (never its text)",
    description:
      "A key reads the messages it sent; a key with the scope sms.read_all reads every key's. Another key's message is 404, as if it did not exist. Each read is recorded as a data.read audit event under the patient (503 AUDIT_WRITE_FAILED when it cannot be).",
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'message_id from the send answer' })
  @ApiOkResponse({ type: MessageStatusDto })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<MessageStatusDto> {
    return this.sms.read(id, messageReaderOf(req), readerOf(req));
  }

  @Delete(':id')
  @RequireScope('sms.send')
  // Cancel is part of the REST way in: a key bound to Vapi, Retell or MCP is refused here.
  @WayIn('rest', 'elevenlabs', 'bland')
  @ApiOperation({
    operationId: 'cancel_message',
    summary: 'Cancel a scheduled message before it goes out',
    description:
      'Only a message in status scheduled can be canceled (409 MESSAGE_NOT_CANCELABLE otherwise), and only by the key that sent it: any other message id is 404, sms.read_all or not.',
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
    const { actor, requestId, ...from } = readerOf(req);
    return this.sms.cancel(id, { ...from, apiKeyName: actor, requestId });
  }
}
