import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { ScheduledTextStore } from './scheduled-text.store.js';

/** What holding a text answers in place of a provider receipt: no provider has it yet. */
export interface HeldText {
  providerSid: null;
  status: 'scheduled';
}

/**
 * Accepts a text for later: its text waits in scheduled_texts until the dispatcher sends it,
 * and the pipeline settles the message as 'scheduled' (the dispatcher's queue).
 */
@Injectable()
export class ScheduleStage {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly texts: ScheduledTextStore,
  ) {}

  async hold(message: MessageEntity, body: string, mediaUrl?: string): Promise<HeldText> {
    await this.unitOfWork.run((manager) => this.texts.keep(manager, message.id, body, mediaUrl));
    return { providerSid: null, status: 'scheduled' };
  }
}
