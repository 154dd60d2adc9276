import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * The status tool's field: which conversation's texts to report on. The context the ways in
 * fill for every tool (the caller's number, the agent) is accepted and not used: the answer
 * is bound to the conversation and the calling key only.
 */
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

  @ApiProperty({
    description: 'Not used: the answer covers every text of the conversation.',
    required: false,
    example: '+15555550199',
    maxLength: 32,
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  @ApiProperty({
    description: "The caller's number on a phone call (bind to system__caller_id); not used.",
    required: false,
    example: '+15555550199',
    maxLength: 32,
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  caller_id?: string;

  @ApiProperty({
    description: 'The agent that made the call (bind to system__agent_id); not used.',
    required: false,
    example: 'agent_01jd8x4k2m9q7r5s3t1v',
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  agent_id?: string;
}
