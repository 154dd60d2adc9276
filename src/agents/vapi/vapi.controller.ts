import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope, WayIn } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { RequestWeight } from '../../limits/edge/send-throttler.guard.js';
import {
  VAPI_SECRET_HEADER,
  VAPI_SIGNATURE_HEADER,
  VAPI_TIMESTAMP_HEADER,
  VapiSecretGuard,
} from './vapi-secret.guard.js';
import { toolCallCount } from './vapi-message.js';
import { VapiWayIn } from './vapi-way-in.js';
import { VapiServerMessageDto, VapiToolCallsResponseDto } from './vapi.dto.js';

@ApiTags('Vapi')
@RequireScope('sms.send')
@WayIn('vapi')
@UseGuards(VapiSecretGuard)
@RequestWeight(toolCallCount)
@Controller('api/vapi')
export class VapiController {
  constructor(private readonly vapi: VapiWayIn) {}

  @Post('tool-calls')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'vapi_server_message',
    summary: "Vapi's server URL: runs the tools of a tool-calls message",
    description:
      'Each tool call runs through the send pipeline with the idempotency key vapi:<call id>:<tool call id>, the call id as conversation_id and the customer number as caller_id (and as phone_number under RECIPIENT_POLICY=caller_only). Refusals are results too (HTTP 200, as Vapi requires), with the same agent sentence and code as the REST endpoints. Other message types are answered 200 {}.',
  })
  @ApiHeader({
    name: VAPI_SECRET_HEADER,
    required: false,
    description:
      'Required when VAPI_SERVER_SECRET is set (a Vapi credential with this header name).',
  })
  @ApiHeader({
    name: VAPI_SIGNATURE_HEADER,
    required: false,
    description: `Required with ${VAPI_TIMESTAMP_HEADER} when VAPI_HMAC_SECRET is set: HMAC-SHA256 (hex) of "{timestamp}.{body}".`,
  })
  @ApiHeader({
    name: VAPI_TIMESTAMP_HEADER,
    required: false,
    description:
      'When VAPI_HMAC_SECRET is set: the signed time (seconds, milliseconds or ISO 8601), within five minutes of the server clock.',
  })
  @ApiBody({ type: VapiServerMessageDto })
  @ApiOkResponse({ type: VapiToolCallsResponseDto })
  @ApiErrorResponses(400, 401, 403, 413, 429, 500)
  handle(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<object> {
    return this.vapi.handle(body, req);
  }
}
