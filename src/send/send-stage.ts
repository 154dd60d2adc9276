import type { MessageEntity } from '../messages/message.entity.js';
import type { NewMessage } from '../messages/message.store.js';
import type { NormalizedPhone } from '../policy/phone-number.service.js';
import type { ScheduledReminder } from '../scheduling/reminder-plan.js';
import type { Schedule } from '../scheduling/send-scheduler.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import type { MessageBody } from '../tools/templates/message-body.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import type { SendResultDto } from './dto/send-result.dto.js';
import type { SendResult, ToolCall } from './tool-call.js';

/**
 * One step of the send pipeline. It reads what earlier stages found from the context, then
 * either ends the send by returning its result (a replay, the status tool's answer, the
 * final answer) or adds what it found to the context for the next stage. A refusal is thrown
 * as a DomainError: the pipeline audits it. A check that needs no I/O may return at once.
 */
export interface SendStage {
  run(send: SendContext): Promise<SendResult | void> | void;
}

/** Which template a text was made from: the language it is in and the template's version. */
export interface TemplateFacts {
  language: string;
  version: string;
}

/** What the stages find, by the name each one sets it under, in the order they run. */
export interface SendFacts {
  tool: ToolDefinition;
  dto: ToolRequestDto;
  phone: NormalizedPhone;
  recipientHash: string;
  /** The final text, with the first-text footer when it applies. */
  body: MessageBody;
  /** The text without the first-text footer: duplicates are judged on it. */
  requestedTextSha256: string;
  /** A language asked for that has no templates (the text went in English). */
  requestedLanguage: string | undefined;
  template: TemplateFacts;
  /** The attachment's address as checked: the provider gets that, never the string as written. */
  mediaUrl: string | undefined;
  /** undefined: send now. */
  schedule: Schedule | undefined;
  reminder: Schedule | undefined;
  row: NewMessage;
  /** The claimed message: from here on, a failure settles it. */
  message: MessageEntity;
  receipt: { status: MessageEntity['status']; providerSid: string | null };
  scheduledReminder: ScheduledReminder | undefined;
  answer: SendResultDto;
}

/** One send's call, deadline and what the stages found so far. */
export class SendContext {
  private readonly facts: Partial<SendFacts> = {};

  constructor(
    readonly call: ToolCall,
    /** When the provider must have answered (Date.now() milliseconds). */
    readonly deadline: number,
  ) {}

  /** A fact an earlier stage set; throws when none did, so a misordered list fails loudly. */
  get<K extends keyof SendFacts>(name: K): SendFacts[K] {
    if (!this.has(name)) throw new Error(`No send stage before this one sets "${name}"`);
    return this.facts[name] as SendFacts[K];
  }

  set<K extends keyof SendFacts>(name: K, value: SendFacts[K]): void {
    this.facts[name] = value;
  }

  has(name: keyof SendFacts): boolean {
    return name in this.facts;
  }
}

/** The injection token of the ordered stage instances the pipeline runs (see send-stages.ts). */
export const ORDERED_SEND_STAGES = Symbol('ORDERED_SEND_STAGES');
