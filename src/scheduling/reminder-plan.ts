import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import type { Schedule, SendScheduler } from './send-scheduler.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export interface ReminderFields {
  appointment_time?: string;
  remind_before?: string;
  language?: string;
}

/** What a scheduled reminder adds to the confirmation's answer. */
export interface ScheduledReminder {
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
 * When remind_before puts the reminder, checked before anything is sent; undefined without
 * remind_before.
 */
export function planReminder(
  scheduler: SendScheduler,
  dto: ToolRequestDto,
  country?: string,
): Schedule | undefined {
  const fields = dto as ToolRequestDto & ReminderFields;
  const match = /^(\d+)([mhd])$/.exec(fields.remind_before ?? '');
  if (!match || !fields.appointment_time) return undefined;
  const appointment = new Date(fields.appointment_time);
  const at = new Date(
    appointment.getTime() - Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS],
  );
  let schedule: Schedule | undefined;
  try {
    schedule = scheduler.plan(
      { ...dto, send_at: at.toISOString(), urgent: undefined } as ToolRequestDto,
      country,
    );
  } catch {
    throw reminderOutOfRange();
  }
  if (!schedule || schedule.sendAt >= appointment) throw reminderOutOfRange();
  return schedule;
}
