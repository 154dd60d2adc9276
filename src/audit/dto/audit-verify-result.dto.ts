import { ApiProperty } from '@nestjs/swagger';

export class AuditVerifyResultDto {
  @ApiProperty({
    description: 'True when every remaining event links to the one before.',
    example: true,
  })
  ok: boolean;

  @ApiProperty({ description: 'Events found intact before the walk stopped.', example: 1250 })
  checked: number;

  @ApiProperty({
    description:
      'seq of the first edited, inserted, reordered or missing event (a deleted event is reported by its own seq); null when ok.',
    example: null,
    nullable: true,
    type: Number,
  })
  first_broken_seq: number | null;

  @ApiProperty({
    description:
      'seq of the newest event. Record it with last_hash elsewhere to detect a cut tail.',
    example: 1250,
    nullable: true,
    type: Number,
  })
  last_seq: number | null;

  @ApiProperty({
    example: '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b',
    nullable: true,
    type: String,
  })
  last_hash: string | null;
}
