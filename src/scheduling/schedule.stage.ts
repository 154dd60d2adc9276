import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { MessageEntity } from '../messages/message.entity.js';
import type { SendContext, SendStage } from '../send/send-stage.js';
import { planReminder } from './reminder-plan.js';
import { ScheduledTextStore } from './scheduled-text.store.js';
import { SendScheduler } from './send-scheduler.js';

/** What holding a text answers in place of a provider receipt: no provider has it yet. */
export interface HeldText {
  providerSid: null;
  status: 'scheduled';
}

/**
 * Decides when a text goes (quiet hours, send_at) and when its reminder does, before anything
 * is claimed; then holds a text accepted for later: it waits in scheduled_texts until the
 * dispatcher sends it, and the pipeline settles the message as 'scheduled' (the dispatcher's
 * queue).
 */
@Injectable()
export class ScheduleStage implements SendStage {
  constructor(
    private readonly scheduler: SendScheduler,
    private readonly unitOfWork: UnitOfWork,
    private readonly texts: ScheduledTextStore,
  ) {}

  run(send: SendContext): void {
    const dto = send.get('dto');
    const { country } = send.get('phone');
    send.set('schedule', this.scheduler.plan(dto, country));
    send.set('reminder', planReminder(this.scheduler, dto, country));
  }

  async hold(message: MessageEntity, body: string, mediaUrl?: string): Promise<HeldText> {
    await this.unitOfWork.run((manager) => this.texts.keep(manager, message.id, body, mediaUrl));
    return { providerSid: null, status: 'scheduled' };
  }
}
