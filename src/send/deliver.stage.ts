import { Injectable } from '@nestjs/common';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { ScheduleStage } from '../scheduling/schedule.stage.js';
import type { SendContext, SendStage } from './send-stage.js';

/** Hands the claimed text to the provider now, or holds a scheduled one for the dispatcher. */
@Injectable()
export class DeliverStage implements SendStage {
  constructor(
    private readonly transport: ResilientProvider,
    private readonly schedules: ScheduleStage,
  ) {}

  async run(send: SendContext): Promise<void> {
    const message = send.get('message');
    const text = send.get('body').text;
    const mediaUrl = send.get('mediaUrl');
    // A scheduled text waits in the database for the dispatcher; nothing reaches the provider yet.
    send.set(
      'receipt',
      send.get('schedule')
        ? await this.schedules.hold(message, text, mediaUrl)
        : await this.transport.send(
            { messageId: message.id, to: send.get('phone').e164, body: text, mediaUrl },
            send.deadline,
          ),
    );
  }
}
