import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConsentSource, ConsentState } from './consent-state.js';

/** PostgreSQL returns bigint as a string; audit seq stays far below 2^53. */
const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

/**
 * The current consent of one number: the latest change recorded for it. The send path reads
 * this row by its primary key before every send.
 */
@Entity({ name: 'consents' })
export class ConsentEntity {
  /** RecipientHasher.hash(e164): what sends and webhooks look the number up by. */
  @PrimaryColumn({ name: 'recipient_hash', type: 'varchar', length: 64 })
  recipientHash: string;

  /** E.164, like messages.recipient: an operator may need to act on it. Never returned by the API. */
  @Column({ type: 'varchar', length: 20 })
  recipient: string;

  @Column({ type: 'varchar', length: 16 })
  state: ConsentState;

  @Column({ type: 'varchar', length: 32 })
  source: ConsentSource;

  @Column({ type: 'varchar', length: 16, nullable: true })
  keyword: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ name: 'changed_at', type: Date })
  changedAt: Date;

  /** The consent.changed audit event that recorded this state. */
  @Column({ name: 'audit_seq', type: 'bigint', transformer: bigintAsNumber })
  auditSeq: number;
}

/**
 * Every consent change, append only, keyed by the seq of its consent.changed audit event (so
 * the audit chain vouches for each row). Holds the masked number and its hash, not the number.
 */
@Entity({ name: 'consent_changes' })
@Index('idx_consent_changes_recipient', ['recipientHash', 'auditSeq'])
@Index('idx_consent_changes_changed_at', ['changedAt'])
export class ConsentChangeEntity {
  @PrimaryColumn({ name: 'audit_seq', type: 'bigint', transformer: bigintAsNumber })
  auditSeq: number;

  @Column({ name: 'recipient_hash', type: 'varchar', length: 64 })
  recipientHash: string;

  @Column({ name: 'recipient_masked', type: 'varchar', length: 16 })
  recipientMasked: string;

  @Column({ type: 'varchar', length: 16 })
  state: ConsentState;

  /** The state before this change; null when the number had no record. */
  @Column({ name: 'previous_state', type: 'varchar', length: 16, nullable: true })
  previousState: ConsentState | null;

  @Column({ type: 'varchar', length: 32 })
  source: ConsentSource;

  @Column({ type: 'varchar', length: 16, nullable: true })
  keyword: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ name: 'conversation_id', type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  @Column({ name: 'changed_at', type: Date })
  changedAt: Date;
}
