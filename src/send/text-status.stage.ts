import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ReadAuditor } from '../audit/read-auditor.js';
import { schedulingConfig, type SchedulingConfig } from '../config/scheduling.config.js';
import { maskPhone } from '../common/mask.js';
import type { CheckTextStatusDto } from '../tools/dto/check-text-status.dto.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { MessageStore } from '../messages/message.store.js';
import { InboundMessageStore } from '../inbound/inbound-message.store.js';
import { spellSendTime } from '../scheduling/send-scheduler.js';
import { isStatusTool } from '../tools/status-tool.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { failureInWords } from './failure-words.js';
import type { SendContext, SendStage } from './send-stage.js';
import { agentIdOf, readerOfCall, type SendResult, type ToolCall } from './tool-call.js';

/** More than any one call sends; the answer speaks of the latest. */
const LOOK_AT = 20;

/**
 * The status tool's answer: what happened to the texts of one conversation, as the calling
 * key sent them (a key never sees another key's messages), in one sentence without the text.
 * The read is audited (data.read, resource text_status) under each patient it names.
 */
@Injectable()
export class TextStatusStage implements SendStage {
  constructor(
    private readonly store: MessageStore,
    private readonly tools: ToolRegistry,
    @Inject(schedulingConfig.KEY) private readonly scheduling: SchedulingConfig,
    private readonly reads: ReadAuditor,
    private readonly replies: InboundMessageStore,
  ) {}

  /** Answers check_text_status, which texts no one; any other tool goes on to the send. */
  run(send: SendContext): Promise<SendResult> | void {
    if (!isStatusTool(send.get('tool'))) return;
    return this.answer(send.call, send.get('dto') as unknown as CheckTextStatusDto);
  }

  async answer(call: ToolCall, dto: CheckTextStatusDto): Promise<SendResult> {
    const timeZone = this.scheduling.defaultTimeZone;
    const messages = await this.store.findByConversation(
      call.caller.apiKeyName,
      dto.conversation_id,
      LOOK_AT,
    );
    const [latest] = messages;
    const replies = await this.replies.repliesTo(messages.map((m) => m.id));
    const agentId = agentIdOf(call);
    await this.reads.record(readerOfCall(call), {
      resource: 'text_status',
      recipients: messages.map((m) => m.recipient),
      count: messages.length,
      conversationId: dto.conversation_id,
      details: { tool: call.tool, ...(agentId ? { agent_id: agentId } : {}) },
    });
    return {
      kind: 'status',
      status: HttpStatus.OK,
      headers: {},
      body: {
        success: true,
        conversation_id: dto.conversation_id,
        texts: messages.map((m) => ({
          message_id: m.id,
          tool: m.tool,
          status: m.status,
          to: maskPhone(m.recipient),
          error_code: m.errorCode,
          send_at: m.sendAt ? new Date(m.sendAt).toISOString() : null,
        })),
        agent_message: latest
          ? withReply(this.sentence(latest, timeZone), replies.get(latest.id)?.intent)
          : "I don't see any text sent during this call yet.",
      },
    };
  }

  private sentence(message: MessageEntity, timeZone: string): string {
    const what = message.reminderOf
      ? 'the appointment reminder'
      : (this.tools.get(message.tool)?.label ?? 'the text');
    const to = `to the number ending in ${message.recipient.slice(-4)}`;
    const subject = `${what.charAt(0).toUpperCase()}${what.slice(1)} ${to}`;
    switch (message.status) {
      case 'delivered':
        return `${subject} was delivered.`;
      case 'sent':
        return `${subject} was sent and the carrier accepted it; it should arrive shortly.`;
      case 'accepted':
      case 'queued':
      case 'sending':
        return `${subject} is on its way.`;
      case 'scheduled':
        return message.sendAt
          ? `${subject} is scheduled for ${spellSendTime(new Date(message.sendAt), timeZone)}.`
          : `${subject} is scheduled.`;
      case 'canceled':
        return message.errorCode
          ? `${subject} was not sent: ${failureInWords(message.errorCode)}.`
          : `${subject} was canceled before it went out.`;
      case 'failed':
      case 'undelivered':
        return `${subject} didn't arrive: ${failureInWords(message.errorCode)}.`;
      case 'unknown':
        return `I couldn't confirm whether ${what} ${to} went through.`;
    }
  }
}

/** What the patient answered, never the words they used. */
const REPLY_WORDS: Readonly<Record<string, string>> = {
  'appointment.confirmed': 'the patient replied to confirm the appointment',
  'appointment.reschedule_requested': 'the patient asked to reschedule',
  'refill.requested': 'the patient asked for a refill',
  free_text: 'the patient replied; a person should read it',
  clarify: 'the patient replied; a person should read it',
};

function withReply(sentence: string, intent: string | undefined): string {
  const words = intent ? REPLY_WORDS[intent] : undefined;
  return words ? `${sentence.slice(0, -1)}, and ${words}.` : sentence;
}
