import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { ApiProperty } from '@nestjs/swagger';
import { CONSENT_SOURCES, CONSENT_STATES } from '../consent-state.js';

/** The consent of one number as the admin API shows it: the number masked, never in full. */
export class ConsentStatusDto {
  @ApiProperty({
    description: 'The number, masked to its last four digits.',
    example: '***-***-0143',
  })
  phone_number: string;

  @ApiProperty({
    description: 'True when texts to this number are refused (RECIPIENT_OPTED_OUT).',
    example: true,
  })
  opted_out: boolean;

  @ApiProperty({
    enum: CONSENT_STATES,
    description: 'The latest recorded choice; null when none was ever recorded (texts allowed).',
    example: 'opted_out',
    nullable: true,
    type: String,
  })
  state: string | null;

  @ApiProperty({
    enum: CONSENT_SOURCES,
    description:
      'keyword: a reply such as STOP; api: recorded by an admin; twilio_21610: Twilio refused a send because the number opted out; twilio_advanced_opt_out: reported by Twilio Advanced Opt-Out.',
    example: 'keyword',
    nullable: true,
    type: String,
  })
  source: string | null;

  @ApiProperty({
    description: 'The keyword the patient replied with, when the source is a reply.',
    example: 'STOP',
    nullable: true,
    type: String,
  })
  keyword: string | null;

  @ApiProperty({
    description: 'Why an admin recorded the change.',
    example: 'verbal consent on call conv_01jd8x4k2m9q7r5s3t1v',
    nullable: true,
    type: String,
  })
  reason: string | null;

  @ApiProperty({
    description: "Who recorded it: an API key name, or 'twilio'.",
    example: 'twilio',
    nullable: true,
    type: String,
  })
  actor: string | null;

  @ApiProperty({
    description: 'When the change was recorded (UTC).',
    example: LOAD_TIME_EXAMPLES.recorded_at,
    nullable: true,
    type: String,
  })
  changed_at: string | null;

  @ApiProperty({
    description: 'seq of the consent.changed audit event that recorded it.',
    example: 42,
    nullable: true,
    type: Number,
  })
  audit_seq: number | null;
}

export class ConsentChangeDto {
  @ApiProperty({ description: 'seq of the consent.changed audit event.', example: 42 })
  audit_seq: number;

  @ApiProperty({
    description: 'When it was recorded (UTC).',
    example: LOAD_TIME_EXAMPLES.recorded_at,
  })
  changed_at: string;

  @ApiProperty({
    description: 'The number, masked to its last four digits.',
    example: '***-***-0143',
  })
  phone_number: string;

  @ApiProperty({
    description: 'HMAC-SHA256 of the E.164 number with AUDIT_HASH_KEY (hex), as in the audit log.',
    example: '9f2c4e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4',
  })
  recipient_hash: string;

  @ApiProperty({ enum: CONSENT_STATES, example: 'opted_out' })
  state: string;

  @ApiProperty({
    enum: CONSENT_STATES,
    description: 'The state before; null when the number had no record.',
    example: 'opted_in',
    nullable: true,
    type: String,
  })
  previous_state: string | null;

  @ApiProperty({ enum: CONSENT_SOURCES, example: 'keyword' })
  source: string;

  @ApiProperty({ example: 'STOP', nullable: true, type: String })
  keyword: string | null;

  @ApiProperty({
    example: 'verbal consent on call conv_01jd8x4k2m9q7r5s3t1v',
    nullable: true,
    type: String,
  })
  reason: string | null;

  @ApiProperty({ description: "An API key name, or 'twilio'.", example: 'twilio' })
  actor: string;

  @ApiProperty({ example: 'conv_01jd8x4k2m9q7r5s3t1v', nullable: true, type: String })
  conversation_id: string | null;
}

export class ConsentChangePageDto {
  @ApiProperty({ type: [ConsentChangeDto], description: 'Newest first.' })
  changes: ConsentChangeDto[];

  @ApiProperty({
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
    example: 'c2VxOjQy',
    nullable: true,
    type: String,
  })
  next_cursor: string | null;
}
