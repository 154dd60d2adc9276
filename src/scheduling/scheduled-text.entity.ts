import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A scheduled message's text, deleted as soon as it is sent, canceled or expired. */
@Entity({ name: 'scheduled_texts' })
export class ScheduledTextEntity {
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 36 })
  messageId: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'media_url', type: 'varchar', length: 2048, nullable: true })
  mediaUrl: string | null;
}
