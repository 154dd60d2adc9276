import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One message a patient sent to our number, recorded once by the provider's message id, so a
 * replayed or retried delivery is never acted on twice. Holds the sender's masked number and
 * its hash, never the number; the reply text (`body`) and what it was matched to are for the
 * two-way replies and stay empty until then.
 */
@Entity({ name: 'inbound_messages' })
@Index('uq_inbound_messages_provider_message_id', ['providerMessageId'], { unique: true })
@Index('idx_inbound_messages_recipient_hash', ['recipientHash', 'receivedAt'])
export class InboundMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Twilio's MessageSid (unique): a second delivery of it is a replay. */
  @Column({ name: 'provider_message_id', type: 'varchar', length: 64 })
  providerMessageId: string;

  /** RecipientHasher.hash(e164) of the sender; null when the sender is not a phone number. */
  @Column({ name: 'recipient_hash', type: 'varchar', length: 64, nullable: true })
  recipientHash: string | null;

  @Column({ name: 'recipient_masked', type: 'varchar', length: 16, nullable: true })
  recipientMasked: string | null;

  /** The text of ours it answers (two-way replies, not yet). */
  @Column({ name: 'matched_message_id', type: 'varchar', length: 36, nullable: true })
  matchedMessageId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  intent: string | null;

  @Column({ name: 'received_at', type: Date })
  receivedAt: Date;

  /** The reply text (two-way replies, purged after REPLY_RETENTION_DAYS); never stored yet. */
  @Column({ type: 'text', nullable: true })
  body: string | null;
}
