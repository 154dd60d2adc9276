import { ApiProperty } from '@nestjs/swagger';

/** What record_text_opt_out answers (200): the number is opted out; nothing was sent. */
export class OptOutResultDto {
  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({
    description: 'The number opted out, masked to the last four digits.',
    example: '***-***-0106',
  })
  phone_number: string;

  @ApiProperty({ enum: ['opted_out'], example: 'opted_out' })
  state: 'opted_out';

  @ApiProperty({
    description:
      'True when the number had already opted out (a replayed call, or a STOP before): nothing new was recorded.',
    example: false,
  })
  already_opted_out: boolean;

  @ApiProperty({ nullable: true, type: String, example: 'conv_example_opt_out' })
  conversation_id: string | null;

  @ApiProperty({
    description: 'One sentence for the agent to say.',
    example:
      "Done: the number ending in 0106 won't get any more texts from us. If the patient changes their mind, they can text START to get them again.",
  })
  agent_message: string;
}
