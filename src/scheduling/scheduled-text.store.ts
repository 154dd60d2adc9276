import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ScheduledTextEntity } from './scheduled-text.entity.js';

/** Holds a scheduled text until the dispatcher sends it; nothing else reads it. */
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
}
