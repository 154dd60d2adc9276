import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { buildMessageBody, type MessageBody } from '../tools/templates/message-body.js';
import { spellSendTime, type Schedule } from './send-scheduler.js';
import { ClaimStage } from '../send/claim.stage.js';
import { newMessageRow } from '../send/message-row.js';
import type { SendContext, SendStage } from '../send/send-stage.js';
import { SettleStage } from '../send/settle.stage.js';
import type { ToolCall } from '../send/tool-call.js';
import type { ReminderFields, ScheduledReminder } from './reminder-plan.js';
import { ScheduleStage } from './schedule.stage.js';

/** The reminder is the confirmation's text after this word; English for any other language. */
const PREFIX: Readonly<Record<string, string>> = { en: 'Reminder:', es: 'Recordatorio:' };

/**
 * remind_before on an appointment confirmation (planned by the schedule stage): one more text,
 * held for the dispatcher like any scheduled text (its limits spent now), linked to the
 * confirmation so canceling it cancels both.
 */
@Injectable()
export class ReminderStage implements SendStage {
  private readonly logger = new Logger(ReminderStage.name);

  constructor(
    private readonly claims: ClaimStage,
    private readonly schedules: ScheduleStage,
    private readonly settlement: SettleStage,
  ) {}

  async run(send: SendContext): Promise<void> {
    const planned = send.get('reminder');
    send.set('scheduledReminder', planned ? await this.schedule(send, planned) : undefined);
  }

  /** Claims and holds the reminder; a refusal (a limit) is told, never fails the confirmation. */
  private async schedule(send: SendContext, schedule: Schedule): Promise<ScheduledReminder> {
    const { call } = send;
    const dto = send.get('dto');
    const confirmation = send.get('message');
    const language = (dto as ReminderFields).language?.slice(0, 2).toLowerCase() ?? 'en';
    const body: MessageBody = buildMessageBody(
      `${PREFIX[language] ?? PREFIX.en} ${send.get('body').text}`,
    );
    const reminderCall: ToolCall = { ...call, idempotencyKey: undefined };
    const row = {
      ...newMessageRow({
        tool: send.get('tool'),
        dto,
        phone: send.get('phone'),
        recipientHash: send.get('recipientHash'),
        transport: send.get('row').transport,
        body,
        requestedTextSha256: body.sha256,
        call: reminderCall,
        schedule,
        dedupeWindowMs: 0,
      }),
      reminderOf: confirmation.id,
    };
    try {
      const claim = await this.claims.claim(row, reminderCall, false, send.get('template'));
      if (!('message' in claim)) throw new Error('A reminder has no key to replay');
      await this.schedules.hold(claim.message, body.text);
      const scheduledFor = schedule.sendAt.toISOString();
      await this.settlement.settle(claim.message, call.requestId, {
        status: 'scheduled',
        providerSid: null,
        response: {
          status: HttpStatus.CREATED,
          body: { success: true, status: 'scheduled', message_id: claim.message.id },
        },
      });
      return {
        answer: { reminder: { message_id: claim.message.id, scheduled_for: scheduledFor } },
        sentence: `I'll also text a reminder on ${spellSendTime(schedule.sendAt, schedule.timeZone)}.`,
      };
    } catch (error) {
      this.logger.warn(`Could not schedule a reminder: ${(error as Error).message}`);
      return {
        answer: {
          reminder: { error: error instanceof DomainError ? error.code : ErrorCode.INTERNAL_ERROR },
        },
        sentence: "I couldn't schedule the reminder, though.",
      };
    }
  }
}
