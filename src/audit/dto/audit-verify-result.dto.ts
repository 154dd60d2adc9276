import { ApiProperty } from '@nestjs/swagger';
import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { CHAIN_PROBLEMS } from '../chain-walker.js';

export class AuditCheckpointDto {
  @ApiProperty({ example: 1250 })
  seq: number;

  @ApiProperty({ example: '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b' })
  hash: string;

  @ApiProperty({
    description: 'When the service saw that head (UTC).',
    example: LOAD_TIME_EXAMPLES.recorded_at,
  })
  at: string;
}

export class AuditVerifyResultDto {
  @ApiProperty({
    description:
      'True when every remaining event is keyed, links to the one before, and the chain reaches the newest checkpoint.',
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
    description: 'What is wrong at first_broken_seq; null when ok.',
    enum: CHAIN_PROBLEMS,
    example: null,
    nullable: true,
    type: String,
  })
  problem: (typeof CHAIN_PROBLEMS)[number] | null;

  @ApiProperty({
    description: 'seq of the newest event.',
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

  @ApiProperty({
    description:
      'The newest signed checkpoint outside the database (AUDIT_CHECKPOINT_DIR) the chain was compared with; null when there is none.',
    nullable: true,
    type: AuditCheckpointDto,
  })
  checkpoint: AuditCheckpointDto | null;
}
