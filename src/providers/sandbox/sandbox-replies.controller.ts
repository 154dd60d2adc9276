import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { RequireScope } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { readerOf } from '../../auth/requester.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { InboundService } from '../../inbound/inbound.service.js';
import { SMS_PROVIDER, type SmsProvider } from '../sms-provider.js';
import { SandboxProvider } from './sandbox.provider.js';

export class SandboxReplyDto {
  @ApiProperty({ example: '+12025550143', description: 'The patient number, E.164.' })
  @IsString()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone_number must be in E.164 format' })
  phone_number: string;

  @ApiProperty({ example: 'C', description: "The patient's reply, as it would arrive by text." })
  @IsString()
  @MinLength(1)
  @MaxLength(1600)
  text: string;
}

class SandboxReplyResultDto {
  @ApiProperty({ example: true })
  success: true;

  @ApiProperty({
    example: 'appointment.confirmed',
    nullable: true,
    type: String,
    description:
      'What the reply was read as: a consent word (opt_out, opt_in, help, clarify), an intent the texted tool declared, or free_text.',
  })
  intent: string | null;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'What the service would text back (the opt-out confirmation, say), or null.',
  })
  reply: string | null;
}

/** A patient's reply, simulated: the same inbound handling as a provider's webhook. */
@ApiTags('Sandbox')
@RequireScope('sms.send')
@Controller('api/sandbox')
export class SandboxRepliesController {
  constructor(
    private readonly inbound: InboundService,
    @Inject(SMS_PROVIDER) private readonly transport: SmsProvider,
  ) {}

  @Post('replies')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'sandbox_reply',
    summary: "Simulate a patient's reply to the latest text sent to a number (sandbox only)",
    description:
      "Runs the same handling as a reply through the provider's webhook: consent words, plain-language revocations, matching to the latest text to that number and its tool's intents, the reply events. Needs the sms.send scope; answers 404 NOT_FOUND while another provider sends.",
  })
  @ApiOkResponse({ type: SandboxReplyResultDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async reply(
    @Body() dto: SandboxReplyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<SandboxReplyResultDto> {
    if (!(this.transport instanceof SandboxProvider)) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'Replies are simulated by the sandbox only', {
        status: HttpStatus.NOT_FOUND,
        agentMessage: 'This service is not in sandbox mode.',
      });
    }
    const reader = readerOf(req);
    const outcome = await this.inbound.receive({
      from: dto.phone_number,
      body: dto.text,
      providerMessageId: `sandbox:${randomUUID()}`,
      providerSid: null,
      requestId: reader.requestId,
      actor: reader.actor,
    });
    return { success: true, intent: outcome.intent, reply: outcome.reply };
  }
}
