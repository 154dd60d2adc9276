import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { ApiProperty } from '@nestjs/swagger';
import { MESSAGE_STATUSES, type MessageStatus } from '../../messages/message.entity.js';

export class SendResultDto {
  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({
    enum: MESSAGE_STATUSES,
    example: 'queued',
    description: 'Where the message stands now.',
  })
  status: MessageStatus;

  @ApiProperty({
    description: 'Our id for the message.',
    example: '0f8fad5b-d9cb-469f-a165-70867728950e',
  })
  message_id: string;

  @ApiProperty({
    description: 'The provider\'s id (Twilio "SM…"; "SB…" in the sandbox).',
    example: 'SM0123456789abcdef0123456789abcdef',
    nullable: true,
    type: String,
  })
  provider_sid: string | null;

  @ApiProperty({
    description: 'The recipient, masked to the last four digits.',
    example: '***-***-4567',
  })
  to: string;

  @ApiProperty({ description: 'SMS segments the text takes (what a carrier bills).', example: 1 })
  segments: number;

  @ApiProperty({ enum: ['GSM-7', 'UCS-2'], example: 'GSM-7' })
  encoding: string;

  @ApiProperty({
    description: 'One sentence for the agent to say.',
    example: "I've texted the copay card to the number ending in 4567.",
  })
  agent_message: string;

  @ApiProperty({
    description: 'For a scheduled text (quiet hours or send_at): when it goes out.',
    required: false,
    example: LOAD_TIME_EXAMPLES.scheduled_for,
  })
  scheduled_for?: string;

  @ApiProperty({
    description:
      'With remind_before: the reminder scheduled before the appointment ({ message_id, scheduled_for }), or { error } with the code that stopped it (the confirmation went anyway).',
    required: false,
    type: Object,
    example: { message_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', scheduled_for: null },
  })
  reminder?: { message_id: string; scheduled_for: string } | { error: string };

  @ApiProperty({
    description:
      'True when this answers a repeat of an earlier identical send: nothing was sent again.',
    required: false,
    example: true,
  })
  duplicate?: boolean;

  @ApiProperty({
    description: 'Present only in the sandbox: nothing left this machine.',
    required: false,
    example: true,
  })
  sandbox?: boolean;

  @ApiProperty({
    description:
      'Something the caller should know, e.g. that a real carrier would refuse this number.',
    required: false,
    example: 'Sandbox only: this number is not assigned, and a real carrier would refuse it.',
  })
  notice?: string;
}

export class MessageStatusDto {
  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  message_id: string;

  @ApiProperty({ example: 'send_copay_card' })
  tool: string;

  @ApiProperty({ enum: MESSAGE_STATUSES, example: 'delivered' })
  status: MessageStatus;

  @ApiProperty({ description: 'Name of the API key that asked for the send.', example: 'agent' })
  api_key_name: string;

  @ApiProperty({ example: 'SM0123456789abcdef0123456789abcdef', nullable: true, type: String })
  provider_sid: string | null;

  @ApiProperty({ example: '***-***-4567' })
  to: string;

  @ApiProperty({ example: 1 })
  segments: number;

  @ApiProperty({ enum: ['GSM-7', 'UCS-2'], example: 'GSM-7' })
  encoding: string;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'Why it failed, when it did.',
  })
  error_code: string | null;

  @ApiProperty({ example: 'conv_01jd8x4k2m9q7r5s3t1v', nullable: true, type: String })
  conversation_id: string | null;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'When a scheduled message goes (or went) out.',
  })
  send_at: string | null;

  @ApiProperty({ example: LOAD_TIME_EXAMPLES.recorded_at })
  created_at: string;

  @ApiProperty({ example: LOAD_TIME_EXAMPLES.recorded_at })
  updated_at: string;
}
