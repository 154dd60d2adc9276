import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Swagger documentation of the Vapi server message; the way in reads it (vapi-message.ts). */
class VapiFunctionCallDto {
  @ApiProperty({ description: 'The tool name from the registry.', example: 'send_copay_card' })
  name: string;

  @ApiProperty({
    description: 'The arguments: a JSON string (SDK types) or an object (Vapi docs).',
    oneOf: [{ type: 'string' }, { type: 'object' }],
    example: '{"patient_name":"Jane Doe","copay_url":"https://copay.example.com/c/123"}',
  })
  arguments: string | object;
}

class VapiToolCallDto {
  @ApiProperty({
    description: "Vapi's id of this tool call.",
    example: 'call_VaJOd8ZeZgWCEHDYomyCPfwN',
  })
  id: string;

  @ApiProperty({ example: 'function' })
  type: string;

  @ApiProperty({ type: VapiFunctionCallDto })
  function: VapiFunctionCallDto;
}

class VapiCustomerDto {
  @ApiPropertyOptional({
    description: "The customer's number: the patient (under caller_only, the only recipient).",
    example: '+12025550143',
  })
  number?: string;
}

class VapiCallDto {
  @ApiProperty({
    description: 'The call id: the conversation id.',
    example: '3c1e8a7e-4b7f-4d3a-9d53-1c2b3a4d5e6f',
  })
  id: string;

  @ApiPropertyOptional({
    description: 'The assistant: the agent id.',
    example: 'a1b2c3d4-0000-4000-8000-000000000001',
  })
  assistantId?: string;

  @ApiPropertyOptional({ type: VapiCustomerDto })
  customer?: VapiCustomerDto;
}

class VapiMessageDto {
  @ApiProperty({
    description: 'Only "tool-calls" is acted on; other types are answered 200 {}.',
    example: 'tool-calls',
  })
  type: string;

  @ApiProperty({
    type: [VapiToolCallDto],
    description: 'Run in order, each through the send pipeline.',
  })
  toolCallList: VapiToolCallDto[];

  @ApiPropertyOptional({ type: VapiCallDto })
  call?: VapiCallDto;
}

export class VapiServerMessageDto {
  @ApiProperty({ type: VapiMessageDto })
  message: VapiMessageDto;
}

class VapiSpokenMessageDto {
  @ApiProperty({ enum: ['request-complete', 'request-failed'] })
  type: string;

  @ApiProperty({ description: 'The agent sentence, spoken as it is.' })
  content: string;
}

class VapiToolCallResultDto {
  @ApiProperty({ example: 'call_VaJOd8ZeZgWCEHDYomyCPfwN' })
  toolCallId: string;

  @ApiProperty({ example: 'send_copay_card' })
  name: string;

  @ApiPropertyOptional({
    description: 'Sent (or replayed): the agent sentence.',
    example: "I've texted the copay card to the number ending in 0143.",
  })
  result?: string;

  @ApiPropertyOptional({
    description: 'Refused: the same agent sentence as the REST error contract.',
    example: "That patient has opted out of texts, so I didn't send anything.",
  })
  error?: string;

  @ApiProperty({ type: VapiSpokenMessageDto })
  message: VapiSpokenMessageDto;

  @ApiProperty({
    description:
      'The body the REST endpoint would answer: the send result, or the error contract with error.code.',
    type: 'object',
    additionalProperties: true,
  })
  metadata: Record<string, unknown>;
}

export class VapiToolCallsResponseDto {
  @ApiProperty({ type: [VapiToolCallResultDto], description: 'One per tool call, in order.' })
  results: VapiToolCallResultDto[];
}
