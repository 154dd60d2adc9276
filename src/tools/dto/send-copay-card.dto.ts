import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, MaxLength } from 'class-validator';
import { MediaUrlField } from './media-url.field.js';
import { PatientNameField, ToolExamples, ToolRequestDto } from './tool-request.dto.js';

@ToolExamples({ phone_number: '+15555550102', conversation_id: 'conv_example_copay_card' })
export class SendCopayCardDto extends ToolRequestDto {
  @PatientNameField()
  patient_name: string;

  @ApiProperty({
    description: 'The https link to the copay card; its host must be on LINK_ALLOWED_HOSTS.',
    example: 'https://copay.example.com/card/abc123',
    maxLength: 500,
  })
  @IsString()
  @MaxLength(500)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: true },
    { message: 'copay_url must be a web address starting with https://' },
  )
  copay_url: string;

  @MediaUrlField()
  media_url?: string;
}
