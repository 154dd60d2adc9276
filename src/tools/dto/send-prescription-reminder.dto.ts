import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import {
  PatientNameField,
  PlainTextField,
  ToolExamples,
  ToolRequestDto,
} from './tool-request.dto.js';

@ToolExamples({ phone_number: '+15555550103', conversation_id: 'conv_example_prescription' })
export class SendPrescriptionReminderDto extends ToolRequestDto {
  @PatientNameField()
  patient_name: string;

  @PlainTextField({
    field: 'medication_name',
    description: 'The medication, as the patient knows it.',
    example: 'Lisinopril 10 mg',
    maxLength: 100,
  })
  medication_name: string;

  @ApiProperty({
    description: 'The refill or pickup date, YYYY-MM-DD.',
    required: false,
    example: LOAD_TIME_EXAMPLES.refill_date,
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'refill_date must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'refill_date must be a date written YYYY-MM-DD' })
  refill_date?: string;

  @PlainTextField({
    field: 'pharmacy_name',
    description: 'The pharmacy the patient picks up from.',
    example: 'Main Street Pharmacy',
    maxLength: 100,
    required: false,
  })
  pharmacy_name?: string;

  @ApiProperty({
    description:
      'When to send the reminder, ISO 8601 with an offset, 15 minutes to 35 days ahead. A time inside quiet hours moves to their end.',
    required: false,
    example: LOAD_TIME_EXAMPLES.send_at,
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'send_at must be a date and time with a UTC offset, written YYYY-MM-DDThh:mm:ss±hh:mm',
  })
  @IsISO8601({ strict: true }, { message: 'send_at must be an ISO 8601 date and time' })
  send_at?: string;
}
