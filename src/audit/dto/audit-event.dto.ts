import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../audit-event.js';
import type { AuditEventEntity } from '../audit-event.entity.js';

export class AuditEventDto {
  @ApiProperty({
    description: 'Position in the hash chain: 1, 2, 3, ... without gaps.',
    example: 42,
  })
  seq: number;

  @ApiProperty({
    description: 'When it was recorded (UTC).',
    example: LOAD_TIME_EXAMPLES.recorded_at,
  })
  at: string;

  @ApiProperty({ description: "API key name, 'twilio' or 'system'.", example: 'voice-agent' })
  actor: string;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'sms.sent' })
  action: string;

  @ApiProperty({ enum: AUDIT_OUTCOMES, example: 'success' })
  outcome: string;

  @ApiProperty({
    example: '0f8fad5b-d9cb-469f-a165-70867728950e',
    nullable: true,
    type: String,
  })
  message_id: string | null;

  @ApiProperty({
    description: 'The recipient, masked to the last four digits.',
    example: '***-***-4567',
    nullable: true,
    type: String,
  })
  recipient_masked: string | null;

  @ApiProperty({
    description: 'HMAC-SHA256 of the E.164 number with AUDIT_HASH_KEY (hex).',
    example: '9f2c4e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4',
    nullable: true,
    type: String,
  })
  recipient_hash: string | null;

  @ApiProperty({ example: 'req-1f3a7c9e', nullable: true, type: String })
  request_id: string | null;

  @ApiProperty({ example: 'conv_01jd8x4k2m9q7r5s3t1v', nullable: true, type: String })
  conversation_id: string | null;

  @ApiProperty({
    description: 'Non-PHI facts about the step; never the message text.',
    example: {
      tool: 'send_sms',
      body_sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
    },
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  details: Record<string, unknown> | null;

  @ApiProperty({
    description: 'hash of the event before this one (64 zeros for the first).',
    example: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
  })
  prev_hash: string;

  @ApiProperty({
    description:
      'HMAC-SHA256 with the chain key named by key_id over the canonical event (sorted snake_case keys, ISO time, explicit nulls, v: 2, k: key_id); plain SHA-256 with v: 1 for events from before the chain was keyed.',
    example: '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b',
  })
  hash: string;

  @ApiProperty({
    description:
      'Which chain key signed the event (an id derived from the key, not the key); null for events from before the chain was keyed.',
    example: '3f1c9a7e5b2d4c60',
    nullable: true,
    type: String,
  })
  key_id: string | null;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Oldest first.' })
  events: AuditEventDto[];

  @ApiProperty({
    description: 'Pass as `cursor` for the next page; null on the last page.',
    example: 'c2VxOjQy',
    nullable: true,
    type: String,
  })
  next_cursor: string | null;
}

export function toAuditEventDto(event: AuditEventEntity): AuditEventDto {
  return {
    seq: event.seq,
    at: new Date(event.at).toISOString(),
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
    message_id: event.messageId,
    recipient_masked: event.recipientMasked,
    recipient_hash: event.recipientHash,
    request_id: event.requestId,
    conversation_id: event.conversationId,
    details: event.details ? (JSON.parse(event.details) as Record<string, unknown>) : null,
    prev_hash: event.prevHash,
    hash: event.hash,
    key_id: event.keyId,
  };
}
