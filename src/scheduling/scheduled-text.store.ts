import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deleteBatch } from '../database/delete-batch.js';
import { PENDING_STATUSES } from '../messages/message.store.js';
import { ScheduledTextEntity } from './scheduled-text.entity.js';

/** Holds a scheduled text until the dispatcher sends it; nothing else reads it (retention sweeps). */
@Injectable()
export class ScheduledTextStore {
  async keep(
    manager: EntityManager,
    messageId: string,
    body: string,
    mediaUrl?: string,
  ): Promise<void> {
    await manager.insert(ScheduledTextEntity, { messageId, body, mediaUrl: mediaUrl ?? null });
  }

  find(manager: EntityManager, messageId: string): Promise<ScheduledTextEntity | null> {
    return manager.findOneBy(ScheduledTextEntity, { messageId });
  }

  async forget(manager: EntityManager, messageId: string): Promise<void> {
    await manager.delete(ScheduledTextEntity, { messageId });
  }

  /**
   * Retention: deletes up to `limit` texts left behind by messages that finished before
   * `cutoff`, or whose message is gone (nothing can send those). A pending message's text stays.
   */
  purgeFinished(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      ScheduledTextEntity,
      {
        sql: (row) =>
          `NOT EXISTS (SELECT 1 FROM "messages" "message" WHERE "message"."id" = ${row}."message_id" ` +
          `AND ("message"."status" IN (:...pending) OR "message"."updated_at" >= :cutoff))`,
        parameters: { cutoff, pending: [...PENDING_STATUSES] },
      },
      limit,
    );
  }
}
