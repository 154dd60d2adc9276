import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_BODY_LENGTH } from '../templates/message-body.js';
import { MediaUrlField } from './media-url.field.js';
import { PatientNameField, ToolExamples, ToolRequestDto } from './tool-request.dto.js';

@ToolExamples({ phone_number: '+15555550101', conversation_id: 'conv_example_send_sms' })
export class SendSmsDto extends ToolRequestDto {
  @ApiProperty({
    description: 'The text to send, as the patient should read it.',
    example: 'Test message from your healthcare team!',
    minLength: 1,
    maxLength: MAX_BODY_LENGTH,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_BODY_LENGTH)
  message: string;

  @PatientNameField({ required: false })
  patient_name?: string;

  @ApiProperty({
    description:
      'Send now even inside quiet hours. Only for something the patient needs before morning; the choice is audited.',
    required: false,
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @MediaUrlField()
  media_url?: string;
}
