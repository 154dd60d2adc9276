import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { buildMessageBody, type MessageBody } from '../tools/templates/message-body.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { SendScheduler, spellSendTime, type Schedule } from './send-scheduler.js';
import { ClaimStage, type TemplateFacts } from '../send/claim.stage.js';
import { newMessageRow, type RowFacts } from '../send/message-row.js';
import { SettleStage } from '../send/settle.stage.js';
import type { ToolCall } from '../send/tool-call.js';
import { ScheduleStage } from './schedule.stage.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The reminder is the confirmation's text after this word; English for any other language. */
const PREFIX: Readonly<Record<string, string>> = { en: 'Reminder:', es: 'Recordatorio:' };

interface ReminderFields {
  appointment_time?: string;
  remind_before?: string;
  language?: string;
}

export interface ScheduledReminder {
  /** Added to the confirmation's answer. */
  answer: { reminder: { message_id: string; scheduled_for: string } | { error: string } };
  sentence: string;
}

function reminderOutOfRange(): DomainError {
  return new DomainError(
    ErrorCode.SEND_AT_OUT_OF_RANGE,
    'remind_before must put the reminder at least 15 minutes from now, before the appointment, outside quiet hours, and at most 35 days ahead.',
    {
      status: HttpStatus.BAD_REQUEST,
      agentMessage:
        "I can't schedule a reminder at that time. Should I send the confirmation without a reminder?",
      details: { field: 'remind_before' },
    },
  );
}

/**
 * remind_before on an appointment confirmation: one more text, held for the dispatcher like any
 * scheduled text (its limits spent now), linked to the confirmation so canceling it cancels both.
 */
@Injectable()
export class ReminderStage {
  private readonly logger = new Logger(ReminderStage.name);

  constructor(
    private readonly scheduler: SendScheduler,
    private readonly claims: ClaimStage,
    private readonly schedules: ScheduleStage,
    private readonly settlement: SettleStage,
  ) {}

  /** When the reminder goes, checked before anything is sent; undefined without remind_before. */
  plan(dto: ToolRequestDto, country?: string): Schedule | undefined {
    const fields = dto as ToolRequestDto & ReminderFields;
    const match = /^(\d+)([mhd])$/.exec(fields.remind_before ?? '');
    if (!match || !fields.appointment_time) return undefined;
    const appointment = new Date(fields.appointment_time);
    const at = new Date(
      appointment.getTime() - Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS],
    );
    let schedule: Schedule | undefined;
    try {
      schedule = this.scheduler.plan(
        { ...dto, send_at: at.toISOString(), urgent: undefined } as ToolRequestDto,
        country,
      );
    } catch {
      throw reminderOutOfRange();
    }
    if (!schedule || schedule.sendAt >= appointment) throw reminderOutOfRange();
    return schedule;
  }

  /** Claims and holds the reminder; a refusal (a limit) is told, never fails the confirmation. */
  async schedule(
    call: ToolCall,
    facts: Omit<RowFacts, 'call' | 'schedule' | 'dedupeWindowMs' | 'requestedTextSha256'> & {
      template?: TemplateFacts;
    },
    schedule: Schedule,
    confirmation: MessageEntity,
  ): Promise<ScheduledReminder> {
    const language = (facts.dto as ReminderFields).language?.slice(0, 2).toLowerCase() ?? 'en';
    const body: MessageBody = buildMessageBody(
      `${PREFIX[language] ?? PREFIX.en} ${facts.body.text}`,
    );
    const reminderCall: ToolCall = { ...call, idempotencyKey: undefined };
    const row = {
      ...newMessageRow({
        ...facts,
        body,
        requestedTextSha256: body.sha256,
        call: reminderCall,
        schedule,
        dedupeWindowMs: 0,
      }),
      reminderOf: confirmation.id,
    };
    try {
      const claim = await this.claims.claim(row, reminderCall, false, facts.template);
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
