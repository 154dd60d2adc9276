import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A number's line type as the provider last told it, by recipient hash (never the number). */
@Entity({ name: 'line_types' })
export class LineTypeEntity {
  @PrimaryColumn({ name: 'recipient_hash', type: 'varchar', length: 64 })
  recipientHash: string;

  @Column({ type: 'varchar', length: 16 })
  type: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  carrier: string | null;

  @Column({ name: 'checked_at', type: Date })
  checkedAt: Date;
}
