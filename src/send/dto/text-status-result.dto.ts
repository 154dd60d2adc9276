import { ApiProperty } from '@nestjs/swagger';
import { MESSAGE_STATUSES, type MessageStatus } from '../../messages/message.entity.js';

export class TextStatusEntryDto {
  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  message_id: string;

  @ApiProperty({ description: 'The tool that sent it.', example: 'send_copay_card' })
  tool: string;

  @ApiProperty({ enum: MESSAGE_STATUSES, example: 'undelivered' })
  status: MessageStatus;

  @ApiProperty({
    description: 'The recipient, masked to the last four digits.',
    example: '***-***-0102',
  })
  to: string;

  @ApiProperty({
    description:
      "The provider's error code, when it failed (Twilio 30006: a landline or unreachable number).",
    nullable: true,
    type: String,
    example: '30006',
  })
  error_code: string | null;

  @ApiProperty({
    description: 'When a scheduled text goes out (ISO 8601), else null.',
    nullable: true,
    type: String,
    example: null,
  })
  send_at: string | null;
}

/** What check_text_status answers (200): the conversation's texts, newest first, never the text. */
export class TextStatusResultDto {
  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({ example: 'conv_example_status' })
  conversation_id: string;

  @ApiProperty({ type: [TextStatusEntryDto], description: 'Newest first, at most 20.' })
  texts: TextStatusEntryDto[];

  @ApiProperty({
    description: 'One sentence for the agent to say, about the latest text.',
    example:
      "The copay card to the number ending in 0102 didn't arrive: that number can't get texts; it may be a landline.",
  })
  agent_message: string;
}
