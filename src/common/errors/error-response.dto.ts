import { ApiProperty } from '@nestjs/swagger';

export class ErrorBodyDto {
  @ApiProperty({ description: 'Stable machine-readable code.', example: 'INVALID_PHONE_NUMBER' })
  code: string;

  @ApiProperty({
    description: 'What went wrong, for the developer.',
    example: 'phone_number is too short to be a phone number.',
  })
  message: string;

  @ApiProperty({ description: 'True when the same request may succeed later.', example: false })
  retryable: boolean;

  @ApiProperty({
    description: 'Field-level problems (validation) or other non-PHI facts.',
    required: false,
    example: { fields: [{ field: 'phone_number', problems: ['phone_number must be a string'] }] },
  })
  details?: unknown;

  @ApiProperty({
    description: 'Present on 500s: quote it to the operator to find the log line.',
    required: false,
    example: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  })
  error_id?: string;
}

/** The one error contract every endpoint answers with. */
export class ErrorResponseDto {
  @ApiProperty({ example: false })
  success: false;

  @ApiProperty({ type: ErrorBodyDto })
  error: ErrorBodyDto;

  @ApiProperty({
    description: 'One sentence the voice agent can say aloud.',
    example: "That phone number doesn't look right. Could you say it again, digit by digit?",
  })
  agent_message: string;

  @ApiProperty({ description: 'Correlates with logs and the audit trail.', example: 'req-1f3a' })
  request_id: string;
}
