import type { Provider, Type } from '@nestjs/common';
import { ReminderStage } from '../scheduling/reminder.stage.js';
import { ScheduleStage } from '../scheduling/schedule.stage.js';
import { AnswerStage } from './answer.stage.js';
import { ClaimStage } from './claim.stage.js';
import { DeliverStage } from './deliver.stage.js';
import { LineTypeStage } from './line-type.stage.js';
import { MessageRowStage } from './message-row.stage.js';
import { OptOutStage } from './opt-out.stage.js';
import { ConsentStage, RecipientNumberStage, RecipientPolicyStage } from './recipient.stages.js';
import { ORDERED_SEND_STAGES, type SendStage } from './send-stage.js';
import { SettleStage } from './settle.stage.js';
import { RenderStage, TextPolicyStage } from './text.stages.js';
import { TextStatusStage } from './text-status.stage.js';
import { ToolInputStage } from './tool-input.stage.js';

/**
 * The send pipeline, in the order it runs: add, remove or move a stage here and nowhere else.
 * Every check that can refuse runs before the claim, so a refusal leaves nothing behind but
 * its audit event; limits are spent at the claim, and from there on a failure settles the
 * claimed message.
 */
export const SEND_STAGES: readonly Type<SendStage>[] = [
  ToolInputStage,
  TextStatusStage, // check_text_status answers here: it texts no one
  RecipientNumberStage,
  RecipientPolicyStage,
  OptOutStage, // record_text_opt_out answers here, on the number the policy allowed
  ConsentStage,
  LineTypeStage,
  RenderStage,
  TextPolicyStage, // on the final text, footer included
  ScheduleStage, // quiet hours, send_at, remind_before
  MessageRowStage, // the idempotency fingerprint and the duplicate window's key
  ClaimStage, // limits spent; a replay or a duplicate answers here
  DeliverStage,
  ReminderStage,
  AnswerStage,
  SettleStage,
];

/** Each stage as a provider, and the ordered instances under ORDERED_SEND_STAGES. */
export function sendStageProviders(stages: readonly Type<SendStage>[]): Provider[] {
  return [
    ...stages,
    {
      provide: ORDERED_SEND_STAGES,
      useFactory: (...instances: SendStage[]) => instances,
      inject: [...stages],
    },
  ];
}
