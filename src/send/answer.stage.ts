import { Injectable } from '@nestjs/common';
import { maskPhone } from '../common/mask.js';
import type { NormalizedPhone } from '../policy/phone-number.service.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { spellSendTime } from '../scheduling/send-scheduler.js';
import type { SendContext, SendStage } from './send-stage.js';

const UNASSIGNED_NUMBER_NOTICE =
  'Sandbox only: this number is not assigned to any line, and a real carrier would refuse it.';

/** The answer to a text accepted: what the agent says, and what the answer body tells. */
@Injectable()
export class AnswerStage implements SendStage {
  constructor(private readonly transport: ResilientProvider) {}

  run(send: SendContext): void {
    const tool = send.get('tool');
    const phone = send.get('phone');
    const body = send.get('body');
    const schedule = send.get('schedule');
    const receipt = send.get('receipt');
    const reminder = send.get('scheduledReminder');
    send.set('answer', {
      success: true,
      status: receipt.status,
      message_id: send.get('message').id,
      provider_sid: receipt.providerSid,
      to: maskPhone(phone.e164),
      segments: body.segments,
      encoding: body.encoding,
      agent_message: [
        schedule
          ? `It's outside texting hours for the patient, so I've scheduled ${tool.label} for ${spellSendTime(schedule.sendAt, schedule.timeZone)}, to the number ending in ${phone.e164.slice(-4)}.`
          : `I've texted ${tool.label} to the number ending in ${phone.e164.slice(-4)}.`,
        ...(reminder ? [reminder.sentence] : []),
      ].join(' '),
      ...(schedule ? { scheduled_for: schedule.sendAt.toISOString() } : {}),
      ...(reminder?.answer ?? {}),
      ...(this.transport.capabilities.simulated ? { sandbox: true } : {}),
      ...(notice(phone, send.get('requestedLanguage')) ?? {}),
    });
  }
}

function notice(
  phone: NormalizedPhone,
  requestedLanguage?: string,
): { notice: string } | undefined {
  const notices = [
    ...(phone.isValid ? [] : [UNASSIGNED_NUMBER_NOTICE]),
    ...(requestedLanguage
      ? [`No templates for language "${requestedLanguage}": the text was sent in English.`]
      : []),
  ];
  return notices.length > 0 ? { notice: notices.join(' ') } : undefined;
}
