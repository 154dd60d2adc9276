import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { readerOf } from '../../auth/requester.js';
import { messageReaderOf } from '../../messages/messages.controller.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { SandboxOutboxService, type OutboxEntry } from './sandbox-outbox.service.js';

class SandboxMessageDto {
  @ApiProperty({
    enum: ['sent', 'scheduled', 'canceled', 'refused'],
    example: 'sent',
    description:
      'sent, scheduled or canceled: a text the sandbox kept. refused: a tool request that was turned down (see error_code); nothing was sent.',
  })
  status: string;

  @ApiProperty({ required: false, example: 'SB0123456789abcdef0123456789abcdef' })
  provider_sid?: string;

  @ApiProperty({ required: false, example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  message_id?: string;

  @ApiProperty({ example: '***-***-0102' })
  to: string;

  @ApiProperty({
    required: false,
    example: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
    description: 'The text, for texts the sandbox kept. A refused request shows no text.',
  })
  body?: string;

  @ApiProperty({ example: LOAD_TIME_EXAMPLES.recorded_at })
  at: string;

  @ApiProperty({
    required: false,
    example: LOAD_TIME_EXAMPLES.scheduled_for,
    description: 'When a scheduled text would go out.',
  })
  send_at?: string;

  @ApiProperty({
    required: false,
    example: true,
    description: 'A scheduled text that was canceled.',
  })
  canceled?: boolean;

  @ApiProperty({
    required: false,
    nullable: true,
    // string | null reflects as Object; name the type so the example matches the schema.
    type: String,
    example: 'send_copay_card',
    description: 'The tool a refused request was for.',
  })
  tool?: string | null;

  @ApiProperty({
    required: false,
    example: 'RATE_LIMITED',
    description: 'Why a request was refused: the error code its caller got.',
  })
  error_code?: string;

  @ApiProperty({ required: false, example: 429 })
  http_status?: number;

  @ApiProperty({
    required: false,
    example: 'per-recipient-10min',
    description: 'For RATE_LIMITED: the limit that was reached.',
  })
  limit?: string;

  @ApiProperty({
    required: false,
    nullable: true,
    type: String,
    example: 'req_01jd8x4k2m9q7r5s3t1v',
  })
  request_id?: string | null;
}

function toDto(entry: OutboxEntry): SandboxMessageDto {
  return {
    status: entry.status,
    ...(entry.providerSid ? { provider_sid: entry.providerSid } : {}),
    ...(entry.messageId ? { message_id: entry.messageId } : {}),
    to: entry.to,
    ...(entry.body !== undefined ? { body: entry.body } : {}),
    at: entry.at.toISOString(),
    ...(entry.sendAt ? { send_at: entry.sendAt.toISOString() } : {}),
    ...(entry.status === 'canceled' ? { canceled: true } : {}),
    ...(entry.status === 'refused'
      ? {
          tool: entry.tool ?? null,
          error_code: entry.errorCode,
          http_status: entry.httpStatus,
          ...(entry.limit ? { limit: entry.limit } : {}),
          request_id: entry.requestId ?? null,
        }
      : {}),
  };
}

/** Shows what patients would have received; an empty list while another provider sends. */
@ApiTags('Sandbox')
@RequireScope('sms.read')
@Controller('api/sandbox')
export class SandboxController {
  constructor(private readonly sandbox: SandboxOutboxService) {}

  @Get('outbox')
  @ApiOperation({
    operationId: 'sandbox_outbox',
    summary:
      'The last 100 texts the sandbox "sent" and tool requests it refused, and why, newest first (sandbox only)',
    description:
      "Refused requests come from the audit log since the service started: the tool, the masked number, the error code (and for RATE_LIMITED the limit reached), never the text. A key sees the texts and refusals of its own requests; a key with sms.read_all sees every key's. Each read is recorded as a data.read audit event with the count.",
  })
  @ApiOkResponse({ type: [SandboxMessageDto] })
  @ApiErrorResponses(401, 403, 503)
  async outbox(@Req() req: AuthenticatedRequest): Promise<SandboxMessageDto[]> {
    return (await this.sandbox.recent(messageReaderOf(req), readerOf(req))).map(toDto);
  }
}
