import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * The status tool's field: which conversation's texts to report on. The context the ways in
 * fill for every tool (the caller's number, the agent) is accepted and not used: the answer
 * is bound to the conversation and the calling key only. Those fields are hidden from the
 * document, so no export asks the LLM for them.
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

  @ApiHideProperty()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  @ApiHideProperty()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  caller_id?: string;

  @ApiHideProperty()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  agent_id?: string;
}
