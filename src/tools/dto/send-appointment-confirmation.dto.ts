import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import {
  PatientNameField,
  PlainTextField,
  ToolExamples,
  ToolRequestDto,
} from './tool-request.dto.js';

@ToolExamples({ phone_number: '+15555550105', conversation_id: 'conv_example_appointment' })
export class SendAppointmentConfirmationDto extends ToolRequestDto {
  @PatientNameField()
  patient_name: string;

  @ApiProperty({
    description:
      "When the appointment starts, ISO 8601 with the clinic's UTC offset, written YYYY-MM-DDThh:mm:ss±hh:mm. The text spells it out in that local time.",
    example: LOAD_TIME_EXAMPLES.appointment_time,
  })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message:
      'appointment_time must include a time and a UTC offset, written YYYY-MM-DDThh:mm:ss±hh:mm',
  })
  @IsISO8601({ strict: true }, { message: 'appointment_time must be an ISO 8601 date and time' })
  appointment_time: string;

  @PlainTextField({
    field: 'provider_name',
    description: 'Who the appointment is with.',
    example: 'Dr. Patel',
    maxLength: 100,
    required: false,
  })
  provider_name?: string;

  @PlainTextField({
    field: 'location',
    description: 'Where the appointment is.',
    example: 'Main Street Clinic, Suite 200',
    maxLength: 200,
    required: false,
  })
  location?: string;

  @ApiProperty({
    description:
      'Also text a reminder this long before the appointment: a number and m, h or d, such as 24h or 2h. Canceled with the confirmation (DELETE /api/sms/messages/{message_id}).',
    required: false,
    example: '24h',
    maxLength: 5,
  })
  @IsOptional()
  @IsString()
  @Matches(/^([1-9]\d{0,2})(m|h|d)$/, {
    message: 'remind_before must be a number and m, h or d, such as 24h or 2h',
  })
  remind_before?: string;
}
