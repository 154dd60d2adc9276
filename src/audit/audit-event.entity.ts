import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** PostgreSQL returns bigint as a string; seq stays far below 2^53. */
const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

/**
 * One audit event, chained to the one before by prev_hash. Rows are only ever inserted
 * (and removed by the retention purge): the service has no update path, and a trigger
 * refuses UPDATE on both databases.
 */
@Entity({ name: 'audit_events' })
@Index('idx_audit_events_at', ['at'])
@Index('idx_audit_events_action', ['action', 'seq'])
@Index('idx_audit_events_message', ['messageId', 'seq'])
@Index('idx_audit_events_conversation', ['conversationId', 'seq'])
@Index('idx_audit_events_recipient', ['recipientHash', 'seq'])
export class AuditEventEntity {
  /** 1, 2, 3, ... without gaps: assigned under the chain lock, so a missing number is a deletion. */
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  seq: number;

  @Column({ type: Date })
  at: Date;

  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'message_id', type: 'varchar', length: 36, nullable: true })
  messageId: string | null;

  @Column({ name: 'recipient_masked', type: 'varchar', length: 16, nullable: true })
  recipientMasked: string | null;

  @Column({ name: 'recipient_hash', type: 'varchar', length: 64, nullable: true })
  recipientHash: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ name: 'conversation_id', type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  /** Canonical JSON text; never message text. */
  @Column({ type: 'text', nullable: true })
  details: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;

  /** Which chain key signed it (HMAC); null for events from before the chain was keyed. */
  @Column({ name: 'key_id', type: 'varchar', length: 16, nullable: true })
  keyId: string | null;
}
