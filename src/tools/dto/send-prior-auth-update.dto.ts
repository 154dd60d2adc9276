import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PatientNameField, ToolExamples, ToolRequestDto } from './tool-request.dto.js';

export const PRIOR_AUTH_STATUSES = ['approved', 'denied', 'pending'] as const;
export type PriorAuthStatus = (typeof PRIOR_AUTH_STATUSES)[number];

@ToolExamples({ phone_number: '+15555550104', conversation_id: 'conv_example_prior_auth' })
export class SendPriorAuthUpdateDto extends ToolRequestDto {
  @PatientNameField()
  patient_name: string;

  @ApiProperty({
    description: 'Where the prior authorization stands. The text does not name the drug.',
    enum: PRIOR_AUTH_STATUSES,
    example: 'approved',
  })
  @IsIn(PRIOR_AUTH_STATUSES, { message: 'status must be one of approved, denied, pending' })
  status: PriorAuthStatus;
}
