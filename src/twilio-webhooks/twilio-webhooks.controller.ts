import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { requestIdOf } from '../common/http/request-id.js';
import { DeliveryStatusService, type StatusCallback } from './delivery-status.service.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';

@ApiTags('Twilio webhooks')
@Public()
@UseGuards(TwilioSignatureGuard)
@Controller('api/twilio')
export class TwilioWebhooksController {
  constructor(private readonly deliveryStatus: DeliveryStatusService) {}

  @Post('status')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'twilio_status_callback',
    summary: "Twilio's delivery status callback (signed with X-Twilio-Signature)",
    description:
      'Twilio calls this as StatusCallback for every message when PUBLIC_BASE_URL is set. Updates the message status (only forward: a late "sent" never replaces "delivered") and appends an audit event.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        MessageSid: { type: 'string', example: 'SM0123456789abcdef0123456789abcdef' },
        MessageStatus: { type: 'string', example: 'delivered' },
        ErrorCode: { type: 'string', example: '30006' },
      },
    },
  })
  @ApiNoContentResponse({ description: 'Recorded.' })
  @ApiErrorResponses(403)
  // Twilio posts many more fields than these; they are read, not validated as a DTO.
  async status(
    @Body() body: StatusCallback,
    @Req() req: Request,
    @Query('message_id') messageId?: string,
  ): Promise<void> {
    await this.deliveryStatus.apply(body, requestIdOf(req), messageId);
  }
}
