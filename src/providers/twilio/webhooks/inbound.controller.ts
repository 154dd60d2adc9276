import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../auth/auth.decorators.js';
import { ApiErrorResponses } from '../../../common/errors/api-error-responses.decorator.js';
import { requestIdOf } from '../../../common/http/request-id.js';
import { InboundMessageService, type InboundMessage } from './inbound-message.service.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';

@ApiTags('Twilio webhooks')
@Public()
@UseGuards(TwilioSignatureGuard)
@Controller('api/twilio')
export class InboundController {
  constructor(private readonly inbound: InboundMessageService) {}

  @Post('inbound')
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  @ApiOperation({
    operationId: 'twilio_inbound_message',
    summary: "Twilio's incoming-message webhook (signed with X-Twilio-Signature)",
    description:
      'Set as the number\'s or Messaging Service\'s incoming-message webhook. A whole-message reply of STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT or OPTOUT (any case, surrounding spaces and punctuation ignored) opts the sender out; START, YES or UNSTOP opts back in; HELP or INFO gets the help text. Advanced Opt-Out\'s OptOutType (STOP, START, HELP) is honoured too. A revocation in words ("stop texting me", "no me manden mensajes"; docs/EVENTS.md, "Replies") opts out like STOP; a reply with STOP among other words gets one clarifying question per number. Any other message is a reply: matched to the latest text sent to that number within REPLY_WINDOW_DAYS, read by that tool\'s declared replies (C, R, 1) or as free text, and sent to the clinic as an event, never with its text. Answers with TwiML: a short confirmation, or an empty <Response/> for other messages and when TWILIO_ADVANCED_OPT_OUT=true (Twilio answers keywords itself). Each MessageSid is acted on once (without one, each I-Twilio-Idempotency-Token): a replayed or retried delivery answers an empty <Response/> and changes nothing.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        From: { type: 'string', example: '+12025550143' },
        Body: { type: 'string', example: 'STOP' },
        MessageSid: { type: 'string', example: 'SM0123456789abcdef0123456789abcdef' },
        OptOutType: { type: 'string', enum: ['STOP', 'START', 'HELP'], example: 'STOP' },
      },
    },
  })
  @ApiProduces('text/xml')
  @ApiOkResponse({
    description: 'TwiML: the reply to text back, or an empty <Response/>.',
    content: {
      'text/xml': {
        schema: { type: 'string' },
        example:
          '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You&apos;re unsubscribed and will get no more texts from us. Reply START to resubscribe.</Message></Response>',
      },
    },
  })
  @ApiErrorResponses(403, 415, 500)
  // Twilio posts many more fields than these; they are read, not validated as a DTO.
  inboundMessage(@Body() body: InboundMessage, @Req() req: Request): Promise<string> {
    return this.inbound.answer(body, requestIdOf(req), req.header('I-Twilio-Idempotency-Token'));
  }
}
