import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { PatientNameField, PlainTextField, ToolRequestDto } from './tool-request.dto.js';

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
    example: '2026-12-02',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'refill_date must be a date such as 2026-12-02' })
  @IsISO8601({ strict: true }, { message: 'refill_date must be a date such as 2026-12-02' })
  refill_date?: string;

  @PlainTextField({
    field: 'pharmacy_name',
    description: 'The pharmacy the patient picks up from.',
    example: 'Main Street Pharmacy',
    maxLength: 100,
    required: false,
  })
  pharmacy_name?: string;
}
