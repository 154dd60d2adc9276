import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** The status tool's only field: which conversation's texts to report on. */
export class CheckTextStatusDto {
  @ApiProperty({
    description:
      'The conversation whose texts to report on (bind to system__conversation_id, or the platform’s call id).',
    example: 'conv_example_status',
    maxLength: 128,
  })
  @IsString()
  @MaxLength(128)
  @Matches(/^[\w.:-]+$/, { message: 'conversation_id may only hold letters, digits, _ . : -' })
  conversation_id: string;
}
