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
import { Public } from '../../../auth/auth.decorators.js';
import { ApiErrorResponses } from '../../../common/errors/api-error-responses.decorator.js';
import { requestIdOf } from '../../../common/http/request-id.js';
import { DeliveryStatusService } from './delivery-status.service.js';
import { parseStatusCallback, TWILIO_MESSAGE_STATUSES } from './status-callback.js';
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
        MessageStatus: {
          type: 'string',
          enum: [...TWILIO_MESSAGE_STATUSES],
          example: 'delivered',
        },
        ErrorCode: { type: 'string', pattern: '^[0-9]{1,6}$', example: '30006' },
      },
      required: ['MessageStatus'],
    },
  })
  @ApiNoContentResponse({ description: 'Recorded.' })
  @ApiErrorResponses(400, 403, 415)
  // Twilio posts many more fields than these; the ones read are checked, the rest ignored.
  async status(
    @Body() body: unknown,
    @Req() req: Request,
    @Query('message_id') messageId?: string,
  ): Promise<void> {
    await this.deliveryStatus.apply(parseStatusCallback(body), requestIdOf(req), messageId);
  }
}
