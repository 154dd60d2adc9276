import type { Type } from '@nestjs/common';
import { PickType } from '@nestjs/swagger';
import { ToolExamples, ToolRequestDto } from './tool-request.dto.js';

/**
 * The opt-out tool's fields: the number and the call's context, as every tool takes them, and
 * nothing about a text (no language, no time zone: it sends none). Under
 * RECIPIENT_POLICY=caller_only the ways in bind the number to the caller's.
 */
@ToolExamples({ phone_number: '+15555550106', conversation_id: 'conv_example_opt_out' })
export class RecordTextOptOutDto extends PickType(
  ToolRequestDto as unknown as Type<ToolRequestDto>,
  ['phone_number', 'conversation_id', 'caller_id', 'agent_id'] as const,
) {}
