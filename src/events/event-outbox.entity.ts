import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type EventStatus = 'pending' | 'delivering' | 'delivered' | 'dead';

/**
 * An event for the clinic's endpoint, written in the same transaction as the change it
 * reports and delivered by the worker. Its id is the `webhook-id` of every attempt, so the
 * receiver can drop a repeat. The payload never holds a text or a full number.
 */
@Entity({ name: 'event_outbox' })
@Index('idx_event_outbox_due', ['status', 'nextAttemptAt'])
export class EventOutboxEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  /** The JSON body sent, exactly as signed. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: EventStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt: Date;

  /** Until when the instance that claimed it may be delivering it (status delivering). */
  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil: Date | null;

  /** After this, a failed attempt dead-letters the event instead of scheduling another. */
  @Column({ name: 'give_up_at', type: Date })
  giveUpAt: Date;

  /** Why the last attempt failed: an HTTP status or a network error's code, never a body. */
  @Column({ name: 'last_error', type: 'varchar', length: 120, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: Date, nullable: true })
  deliveredAt: Date | null;
}
