import { ApiProperty } from '@nestjs/swagger';
import type { SmsEncoding } from '../../tools/templates/message-body.js';

export class EstimatedCostDto {
  @ApiProperty({
    description: 'The configured price of one segment (SMS_PRICE_PER_SEGMENT).',
    example: 0.0079,
  })
  per_segment: number;

  @ApiProperty({
    description: 'per_segment times segments, plus line_type_lookup when line type checks are on.',
    example: 0.0079,
  })
  total: number;

  @ApiProperty({
    description:
      'The line type lookup before the first text to a number (LINE_TYPE_LOOKUP_PRICE), when LINE_TYPE_CHECK is on; a number looked up within LINE_TYPE_CACHE_DAYS costs nothing more.',
    required: false,
    example: 0.008,
  })
  line_type_lookup?: number;

  @ApiProperty({ description: 'SMS_PRICE_CURRENCY.', example: 'USD' })
  currency: string;
}

export class PreviewResultDto {
  @ApiProperty({ example: 'send_copay_card' })
  tool: string;

  @ApiProperty({
    description: 'The text exactly as it would be sent.',
    example: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
  })
  text: string;

  @ApiProperty({ description: 'The language the text is in.', example: 'en' })
  language: string;

  @ApiProperty({
    description: 'Set when the requested language has no template and the text is in English.',
    required: false,
    example: 'No templates for language "fr": the text is in English.',
  })
  notice?: string;

  @ApiProperty({
    enum: ['GSM-7', 'UCS-2'],
    example: 'GSM-7',
    description: 'UCS-2 when a character is not in the GSM-7 alphabet (á, í, ó, ú, emoji...).',
  })
  encoding: SmsEncoding;

  @ApiProperty({ description: 'SMS segments the text takes (what a carrier bills).', example: 1 })
  segments: number;

  @ApiProperty({ description: 'Characters in the text.', example: 71 })
  characters: number;

  @ApiProperty({ type: EstimatedCostDto })
  estimated_cost: EstimatedCostDto;
}
