import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { maskPhone } from '../common/mask.js';
import { SMS_PROVIDER, type SmsProvider } from '../providers/sms-provider.js';
import { SandboxProvider } from '../providers/sandbox/sandbox.provider.js';

class SandboxMessageDto {
  @ApiProperty({ example: 'SB0123456789abcdef0123456789abcdef' })
  provider_sid: string;

  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  message_id: string;

  @ApiProperty({ example: '***-***-4567' })
  to: string;

  @ApiProperty({
    example: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
  })
  body: string;

  @ApiProperty({ example: '2026-11-25T10:15:00.000Z' })
  at: string;

  @ApiProperty({
    required: false,
    example: '2026-11-26T13:00:00.000Z',
    description: 'When a scheduled text would go out.',
  })
  send_at?: string;

  @ApiProperty({
    required: false,
    example: true,
    description: 'A scheduled text that was canceled.',
  })
  canceled?: boolean;
}

/** Only mounted while the sandbox transport is active: shows what patients would have received. */
@ApiTags('Sandbox')
@RequireScope('sms.read')
@Controller('api/sandbox')
export class SandboxController {
  constructor(@Inject(SMS_PROVIDER) private readonly transport: SmsProvider) {}

  @Get('outbox')
  @ApiOperation({
    operationId: 'sandbox_outbox',
    summary: 'The last 100 texts the sandbox "sent", newest first (sandbox only)',
  })
  @ApiOkResponse({ type: [SandboxMessageDto] })
  @ApiErrorResponses(401, 403)
  outbox(): SandboxMessageDto[] {
    if (!(this.transport instanceof SandboxProvider)) return [];
    return this.transport.recent().map((m) => ({
      provider_sid: m.providerSid,
      message_id: m.messageId,
      to: maskPhone(m.to),
      body: m.body,
      at: m.at.toISOString(),
      ...(m.sendAt ? { send_at: m.sendAt.toISOString() } : {}),
      ...(m.canceled ? { canceled: true } : {}),
    }));
  }
}
