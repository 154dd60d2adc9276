import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { EVENT_TYPES } from '../event-types.js';

const STATUSES = ['pending', 'delivering', 'delivered', 'dead'] as const;

export class EventsQueryDto {
  @ApiPropertyOptional({
    description: 'Only events in this state; dead: dead-lettered, waiting for an admin.',
    enum: STATUSES,
    example: 'dead',
  })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({
    description: 'How many, newest first.',
    minimum: 1,
    maximum: 200,
    example: 50,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class EventDto {
  @ApiProperty({
    description: 'The webhook-id of every attempt: the receiver drops repeats by it.',
    example: 'msg_2b6f0c1e9d8a4f7b8c3d2e1f0a9b8c7d',
  })
  id: string;

  @ApiProperty({ enum: EVENT_TYPES, example: 'message.delivered' })
  type: string;

  @ApiProperty({ enum: STATUSES, example: 'dead' })
  status: string;

  @ApiProperty({ description: 'Attempts so far.', example: 12 })
  attempts: number;

  @ApiProperty({
    description: 'When the next attempt is due (pending), or was (dead).',
    example: LOAD_TIME_EXAMPLES.recorded_at,
  })
  next_attempt_at: string;

  @ApiProperty({
    description: 'Why the last attempt failed: an HTTP status or a network error code.',
    nullable: true,
    type: String,
    example: 'HTTP 503',
  })
  last_error: string | null;

  @ApiProperty({ example: LOAD_TIME_EXAMPLES.recorded_at })
  created_at: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  delivered_at: string | null;

  @ApiProperty({
    description:
      'The body sent: type, timestamp and data (ids, tool, masked number; never a text).',
    example: {
      type: 'message.delivered',
      timestamp: LOAD_TIME_EXAMPLES.recorded_at,
      data: {
        message_id: '0b7c6a52-8d0e-4b53-9a43-1d3f0f6e2c11',
        tool: 'send_copay_card',
        conversation_id: 'conv_123',
        to: '***-***-4567',
        status: 'delivered',
      },
    },
  })
  body: Record<string, unknown>;
}

export class EventListDto {
  @ApiProperty({ type: [EventDto] })
  data: EventDto[];
}
