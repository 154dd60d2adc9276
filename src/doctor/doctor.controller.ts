import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { DoctorService } from './doctor.service.js';

class DoctorCheckDto {
  @ApiProperty({ example: 'Sender SMS capability' })
  name: string;

  @ApiProperty({ enum: ['pass', 'warn', 'fail'], example: 'fail' })
  status: 'pass' | 'warn' | 'fail';

  @ApiProperty({ example: '***-***-0100 cannot send SMS' })
  detail: string;

  @ApiProperty({
    required: false,
    example:
      'Use an SMS-capable number (Phone Numbers, Buy a number, SMS filter) and set TWILIO_PHONE_NUMBER to it.',
    description: 'What to do about it.',
  })
  action?: string;
}

class DoctorReportDto {
  @ApiProperty({ example: false, description: 'No check failed.' })
  ok: boolean;

  @ApiProperty({ type: [DoctorCheckDto] })
  checks: DoctorCheckDto[];
}

@ApiTags('Doctor')
@RequireScope('admin')
@Controller('api/doctor')
export class DoctorController {
  constructor(private readonly doctor: DoctorService) {}

  @Get()
  @ApiOperation({
    operationId: 'doctor',
    summary: 'Checklist before going live: configuration, storage, Twilio, webhooks, ElevenLabs',
    description:
      'One pass, warn or fail line per item with what to do. Read-only: it never sends a text or changes a setting at Twilio or ElevenLabs. The same checklist as `npm run doctor`. A failed check is reported in the body (200), not as an HTTP error.',
  })
  @ApiOkResponse({ type: DoctorReportDto })
  @ApiErrorResponses(401, 403, 429, 500)
  async check(): Promise<DoctorReportDto> {
    const checks = await this.doctor.run();
    return { ok: checks.every((c) => c.status !== 'fail'), checks };
  }
}
