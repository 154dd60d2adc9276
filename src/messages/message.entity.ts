import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const MESSAGE_STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'unknown',
  'canceled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One requested send. The text itself is never stored: only its keyed digest (KeyedDigests). */
@Entity({ name: 'messages' })
@Index('idx_messages_recipient_hash', ['recipientHash'])
@Index('idx_messages_provider_sid', ['providerSid'])
@Index('uq_messages_dedupe_key', ['dedupeKey'], { unique: true })
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  tool: string;

  @Column({ name: 'api_key_name', type: 'varchar', length: 64 })
  apiKeyName: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'request_fingerprint', type: 'varchar', length: 64, nullable: true })
  requestFingerprint: string | null;

  /** Same key, tool, recipient, text (and conversation) within DEDUPE_WINDOW: one send. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 64, nullable: true })
  dedupeKey: string | null;

  @Column({ type: 'varchar', length: 20 })
  recipient: string;

  @Column({ name: 'recipient_hash', type: 'varchar', length: 64 })
  recipientHash: string;

  @Column({ name: 'body_sha256', type: 'varchar', length: 64 })
  bodySha256: string;

  @Column({ type: 'integer' })
  segments: number;

  @Column({ type: 'varchar', length: 8 })
  encoding: string;

  @Column({ type: 'varchar', length: 16 })
  status: MessageStatus;

  @Column({ type: 'varchar', length: 16 })
  transport: string;

  @Column({ name: 'provider_sid', type: 'varchar', length: 64, nullable: true })
  providerSid: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'conversation_id', type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  @Column({ name: 'caller_id', type: 'varchar', length: 32, nullable: true })
  callerId: string | null;

  @Column({ name: 'agent_id', type: 'varchar', length: 128, nullable: true })
  agentId: string | null;

  @Column({ name: 'send_at', type: Date, nullable: true })
  sendAt: Date | null;

  /** For an appointment reminder: the confirmation it belongs to (canceled with it). */
  @Column({ name: 'reminder_of', type: 'varchar', length: 36, nullable: true })
  reminderOf?: string | null;

  /** The answer given to the caller, replayed for duplicates; holds no message text. */
  @Column({ name: 'response', type: 'text', nullable: true })
  responseJson: string | null;

  /** The HTTP status of the stored answer, replayed with it. */
  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
