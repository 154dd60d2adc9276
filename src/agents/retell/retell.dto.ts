import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Swagger documentation of a Retell custom-function request; the way in reads it (retell-request.ts). */
class RetellCallDto {
  @ApiProperty({
    description: 'The call id: the conversation id.',
    example: 'Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6',
  })
  call_id: string;

  @ApiPropertyOptional({
    description: 'The agent id.',
    example: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD',
  })
  agent_id?: string;

  @ApiPropertyOptional({
    enum: ['inbound', 'outbound'],
    description: 'Which number is the patient.',
  })
  direction?: string;

  @ApiPropertyOptional({
    description: 'The caller: the patient on an inbound call.',
    example: '+12025550143',
  })
  from_number?: string;

  @ApiPropertyOptional({
    description: 'The number called: the patient on an outbound call.',
    example: '+12025550100',
  })
  to_number?: string;
}

export class RetellFunctionCallDto {
  @ApiProperty({ description: 'The tool name from the registry.', example: 'send_copay_card' })
  name: string;

  @ApiProperty({ type: RetellCallDto, description: 'The call object (other fields are ignored).' })
  call: RetellCallDto;

  @ApiProperty({
    description: "The tool's arguments, as its REST request body without the context fields.",
    type: 'object',
    additionalProperties: true,
    example: { patient_name: 'Jane Doe', copay_url: 'https://copay.example.com/c/123' },
  })
  args: Record<string, unknown>;
}

export class RetellFunctionResultDto {
  @ApiProperty({
    description: 'The agent sentence, for the LLM to say.',
    example: "I've texted the copay card to the number ending in 0143.",
  })
  result: string;

  @ApiProperty({
    description: 'false for a refusal, whose error.code is the REST code.',
    example: true,
  })
  success: boolean;

  @ApiProperty({ example: "I've texted the copay card to the number ending in 0143." })
  agent_message: string;
}
