import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RefusalAuditor } from '../audit/refusal-auditor.js';
import { isAudited, markAudited } from '../common/errors/audited.js';
import { DomainError } from '../common/errors/domain-error.js';
import { maskPhone } from '../common/mask.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { appConfig } from '../config/app.config.js';
import { sendingConfig } from '../config/sending.config.js';
import { ConsentService } from '../consent/consent.service.js';
import { buildMessageBody, type MessageBody } from '../tools/templates/message-body.js';
import type { SendResultDto } from './dto/send-result.dto.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import { MessageStore } from '../messages/message.store.js';
import { PhoneNumberService, type NormalizedPhone } from '../policy/phone-number.service.js';
import { TextPolicy } from '../policy/text-policy.js';
import { RecipientPolicy } from '../policy/recipient-policy.js';
import { SendScheduler, spellSendTime, type Schedule } from '../scheduling/send-scheduler.js';
import { MessageRenderer } from '../tools/templates/message-renderer.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { ClaimStage, type TemplateFacts } from './claim.stage.js';
import { newMessageRow } from './message-row.js';
import { mmsNotSupported, optedOut, unknownTool } from './refusals.js';
import { SettleStage } from './settle.stage.js';
import type { SendResult, ToolCall } from './tool-call.js';
import { validateToolInput } from '../tools/validate-input.js';
import type { CheckTextStatusDto } from '../tools/dto/check-text-status.dto.js';
import { ScheduleStage } from '../scheduling/schedule.stage.js';
import { ReminderStage, type ScheduledReminder } from '../scheduling/reminder.stage.js';
import { LineTypeStage } from './line-type.stage.js';
import { TextStatusStage } from './text-status.stage.js';

const UNASSIGNED_NUMBER_NOTICE =
  'Sandbox only: this number is not assigned to any line, and a real carrier would refuse it.';
/** Room left after the transport for settling the row and its audit event. */
const SETTLE_MARGIN_MS = 500;

/** What the checks found, kept for the answer and for auditing a refusal. */
interface Checked {
  tool: ToolDefinition;
  dto: ToolRequestDto;
  phone: NormalizedPhone;
  recipientHash: string;
  body: MessageBody;
  requestedTextSha256: string;
  requestedLanguage?: string;
  template: TemplateFacts;
  mediaUrl?: string;
  schedule?: Schedule;
  reminder?: Schedule;
}

/**
 * The one send path behind every way in: a ToolCall in, a SendResult out. Every check that
 * can refuse runs before the message row exists, so a refusal leaves nothing behind but its
 * audit event, which the pipeline records itself. Limits are spent only at the claim.
 */
@Injectable()
export class SendPipeline {
  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(sendingConfig.KEY) private readonly sending: ConfigType<typeof sendingConfig>,
    private readonly tools: ToolRegistry,
    private readonly phones: PhoneNumberService,
    private readonly hasher: RecipientHasher,
    private readonly recipientPolicy: RecipientPolicy,
    private readonly consent: ConsentService,
    private readonly renderer: MessageRenderer,
    private readonly textPolicy: TextPolicy,
    private readonly scheduler: SendScheduler,
    private readonly store: MessageStore,
    private readonly claims: ClaimStage,
    private readonly transport: ResilientProvider,
    private readonly settlement: SettleStage,
    private readonly refusals: RefusalAuditor,
    private readonly lineTypes: LineTypeStage,
    private readonly textStatus: TextStatusStage,
    private readonly schedules: ScheduleStage,
    private readonly reminders: ReminderStage,
  ) {}

  async run(call: ToolCall): Promise<SendResult> {
    const deadline = Date.now() + this.app.requestDeadlineMs - SETTLE_MARGIN_MS;
    let recipient: string | null = null;
    try {
      const tool = this.tools.get(call.tool);
      if (tool?.kind === 'status') {
        const dto = await validateToolInput(tool.requestDto, call.input);
        return await this.textStatus.answer(call, dto as unknown as CheckTextStatusDto);
      }
      const checked = await this.check(call, (e164) => (recipient = e164));
      return await this.send(call, checked, deadline);
    } catch (error) {
      if (error instanceof DomainError && error.status < 500 && !isAudited(error)) {
        await this.refusals.recordToolRefusal(call, recipient, error);
        markAudited(error);
      }
      throw error;
    }
  }

  /** validate, normalize the number, recipient policy, consent, render, text policy, schedule. */
  private async check(call: ToolCall, onRecipient: (e164: string) => void): Promise<Checked> {
    const tool = this.tools.get(call.tool);
    if (!tool) throw unknownTool(call.tool);
    const dto = await validateToolInput(tool.requestDto, call.input);
    const phone = this.phones.normalize(dto.phone_number, {
      requireValid: this.transport.capabilities.requiresValidNumbers,
    });
    onRecipient(phone.e164);
    const recipientHash = this.hasher.hash(phone.e164);
    this.recipientPolicy.check(phone, dto);
    if (await this.consent.isOptedOut(phone.e164)) throw optedOut();
    await this.lineTypes.check(phone.e164, recipientHash, call);
    const rendered = this.renderer.render(tool, dto);
    const requested = buildMessageBody(rendered.text);
    const body = (await this.needsFooter(recipientHash))
      ? buildMessageBody(`${rendered.text}\n${this.sending.firstTextFooter}`)
      : requested;
    this.textPolicy.check(body.text);
    const requestedMedia = (dto as { media_url?: string }).media_url;
    const mediaUrl = requestedMedia ? this.checkMms(requestedMedia, phone) : undefined;
    const schedule = this.scheduler.plan(dto, phone.country);
    const reminder = this.reminders.plan(dto, phone.country);
    return {
      tool,
      dto,
      phone,
      recipientHash,
      body,
      requestedTextSha256: requested.sha256,
      requestedLanguage: rendered.requestedLanguage,
      template: { language: rendered.language, version: rendered.version },
      mediaUrl,
      schedule,
      reminder,
    };
  }

  /** claim (limits spent here), provider send, settle. */
  private async send(call: ToolCall, checked: Checked, deadline: number): Promise<SendResult> {
    const { tool, dto, phone, body, schedule } = checked;
    const claim = await this.claims.claim(
      newMessageRow({
        ...checked,
        call,
        transport: this.transport.name,
        dedupeWindowMs: this.sending.dedupeWindowMs,
      }),
      call,
      (dto as { urgent?: unknown }).urgent === true,
      checked.template,
    );
    if ('replay' in claim) return claim.replay;
    const { message } = claim;
    try {
      // A scheduled text waits in the database for the dispatcher; nothing reaches the provider yet.
      const receipt = schedule
        ? await this.schedules.hold(message, body.text, checked.mediaUrl)
        : await this.transport.send(
            { messageId: message.id, to: phone.e164, body: body.text, mediaUrl: checked.mediaUrl },
            deadline,
          );
      const reminder: ScheduledReminder | undefined = checked.reminder
        ? await this.reminders.schedule(
            call,
            { ...checked, transport: this.transport.name },
            checked.reminder,
            message,
          )
        : undefined;
      const result: SendResultDto = {
        success: true,
        status: receipt.status,
        message_id: message.id,
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
        ...(this.notice(phone, checked.requestedLanguage) ?? {}),
      };
      await this.settlement.settle(message, call.requestId, {
        status: receipt.status,
        providerSid: receipt.providerSid,
        response: { status: HttpStatus.CREATED, body: result },
      });
      return {
        kind: schedule ? 'scheduled' : 'sent',
        status: HttpStatus.CREATED,
        body: result,
        headers: {},
      };
    } catch (error) {
      await this.settlement.settleFailure(message, call.requestId, error);
      // The outcome event is written: the refusal audit must not add another.
      throw typeof error === 'object' && error !== null ? markAudited(error) : error;
    }
  }

  private async needsFooter(recipientHash: string): Promise<boolean> {
    if (!this.sending.firstTextFooter) return false;
    return !(await this.store.hasTexted(recipientHash));
  }

  /**
   * MMS reaches US and Canadian numbers only; the attachment is a link like any other. Returns
   * the address as checked: the provider gets that, never the string as written.
   */
  private checkMms(mediaUrl: string, phone: NormalizedPhone): string {
    const checked = this.textPolicy.checkMediaUrl(mediaUrl);
    if (!this.transport.capabilities.mms) throw mmsNotSupported('provider');
    const northAmerican = phone.country
      ? ['US', 'CA'].includes(phone.country)
      : phone.callingCode === '1';
    if (!northAmerican) throw mmsNotSupported();
    return checked;
  }

  private notice(
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
}
