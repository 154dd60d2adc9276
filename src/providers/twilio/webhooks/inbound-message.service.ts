import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, TWILIO_ACTOR } from '../../../audit/audit-event.js';
import { AuditLogService } from '../../../audit/audit-log.service.js';
import { Clock } from '../../../common/clock.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { maskPhone } from '../../../common/mask.js';
import { RecipientHasher } from '../../../common/recipient-hasher.js';
import { consentConfig } from '../../../config/consent.config.js';
import { parseConsentKeyword, type KeywordIntent } from '../../../consent/consent-keywords.js';
import type { ConsentSource } from '../../../consent/consent-state.js';
import { ConsentService } from '../../../consent/consent.service.js';
import { UnitOfWork } from '../../../database/unit-of-work.js';
import { InboundMessageStore } from '../../../inbound/inbound-message.store.js';
import { PhoneNumberService } from '../../../policy/phone-number.service.js';
import { templateVersion } from '../../../tools/templates/template-version.js';
import { messagingTwiml } from './twiml.js';

/** The fields of Twilio's incoming-message webhook this service reads (it posts many more). */
export interface InboundMessage {
  From?: unknown;
  Body?: unknown;
  MessageSid?: unknown;
  /** Set by Advanced Opt-Out when the message matched one of the Messaging Service's keywords. */
  OptOutType?: unknown;
}

interface Interpretation {
  intent: KeywordIntent;
  keyword: string | null;
  source: ConsentSource;
}

const OPT_OUT_TYPES: Record<string, Exclude<KeywordIntent, 'none'>> = {
  STOP: 'opt_out',
  START: 'opt_in',
  HELP: 'help',
};
/** The automatic replies, named as their settings are (CONSENT_<name>_REPLY). */
type Reply = Exclude<KeywordIntent, 'none'>;
const SID = /^(SM|MM)[0-9a-f]{32}$/i;
/** Longer I-Twilio-Idempotency-Token values are ignored (Twilio's are far shorter). */
const MAX_TOKEN_LENGTH = 256;

/**
 * Replies to our number: STOP and the other revocation words opt the sender out, START opts
 * back in, HELP gets the help text. Everything else is left alone (empty answer). Each message
 * is recorded once by its MessageSid (inbound_messages): Twilio signs no timestamp, so a
 * captured START could otherwise be replayed after a STOP to resubscribe the patient. A second
 * delivery of a MessageSid answers an empty <Response/> and changes nothing.
 */
@Injectable()
export class InboundMessageService {
  private readonly logger = new Logger(InboundMessageService.name);

  constructor(
    private readonly consent: ConsentService,
    private readonly phones: PhoneNumberService,
    @Inject(consentConfig.KEY) private readonly config: ConfigType<typeof consentConfig>,
    private readonly unitOfWork: UnitOfWork,
    private readonly inbound: InboundMessageStore,
    private readonly hasher: RecipientHasher,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * Records the message and the consent change it asks for, in one unit of work, and answers
   * with TwiML. `idempotencyToken`: Twilio's I-Twilio-Idempotency-Token header, the same on
   * every retry of one delivery; it stands in for a missing MessageSid.
   */
  async answer(
    message: InboundMessage,
    requestId: string,
    idempotencyToken?: string,
  ): Promise<string> {
    const from = this.sender(message.From);
    const providerMessageId = providerMessageIdOf(message, idempotencyToken);
    return this.unitOfWork.run(async (manager) => {
      if (providerMessageId) {
        const first = await this.inbound.recordOnce(manager, {
          providerMessageId,
          recipientHash: from ? this.hasher.hash(from) : null,
          recipientMasked: from ? maskPhone(from) : null,
          receivedAt: this.clock.now(),
        });
        if (!first) {
          this.logger.warn('Ignored a second delivery of an inbound message it has recorded');
          return messagingTwiml(null);
        }
      }
      return this.act(message, from, requestId, manager);
    });
  }

  private async act(
    message: InboundMessage,
    from: string | undefined,
    requestId: string,
    manager: EntityManager,
  ): Promise<string> {
    const { intent, keyword, source } = interpret(message);
    if (intent === 'none') return messagingTwiml(null);
    // Twilio has answered already when Advanced Opt-Out matched (OptOutType) or is configured.
    const twilioAnswers = this.config.advancedOptOut || source === 'twilio_advanced_opt_out';
    if (intent === 'help') {
      if (twilioAnswers) return messagingTwiml(null);
      return this.reply('help', { from, keyword, message, requestId }, manager);
    }

    if (!from) {
      // Nothing recorded, so confirming would be false; Twilio's own STOP handling still applies.
      this.logger.warn(
        `Ignored a ${keyword ?? intent} reply from a sender that is not a phone number`,
      );
      return messagingTwiml(null);
    }
    const state = intent === 'opt_out' ? 'opted_out' : 'opted_in';
    await this.consent.record(
      from,
      {
        state,
        source,
        keyword,
        actor: TWILIO_ACTOR,
        requestId,
        providerSid: sidOf(message),
      },
      manager,
    );
    this.logger.log(`Consent of ${maskPhone(from)} is now ${state} (${source})`);
    if (twilioAnswers) return messagingTwiml(null);
    return this.reply(intent, { from, keyword, message, requestId }, manager);
  }

  /**
   * Answers with one of the configured replies, recorded as a text to the sender
   * (sms.auto_replied) in the same unit of work: which reply, its language and version, never
   * its words. Twilio's own answers (Advanced Opt-Out) are Twilio's texts, not recorded here.
   */
  private async reply(
    reply: Reply,
    context: { from?: string; keyword: string | null; message: InboundMessage; requestId: string },
    manager: EntityManager,
  ): Promise<string> {
    const text = {
      help: this.config.helpReply,
      opt_out: this.config.optOutReply,
      opt_in: this.config.optInReply,
    }[reply];
    await this.audit.append(
      {
        actor: SYSTEM_ACTOR,
        action: 'sms.auto_replied',
        outcome: 'success',
        recipient: context.from ?? null,
        requestId: context.requestId,
        details: {
          reply,
          keyword: context.keyword,
          template_language: this.config.replyLanguage,
          template_version: templateVersion(text),
          body_sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
          in_reply_to: sidOf(context.message),
        },
      },
      manager,
    );
    return messagingTwiml(text);
  }

  private sender(from: unknown): string | undefined {
    if (typeof from !== 'string' || !from) return undefined;
    try {
      return this.phones.normalize(from, { requireValid: false, field: 'From' }).e164;
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  }
}

function sidOf(message: InboundMessage): string | null {
  return typeof message.MessageSid === 'string' && SID.test(message.MessageSid)
    ? message.MessageSid
    : null;
}

/** The MessageSid; without one, Twilio's idempotency token; without either, nothing to key on. */
function providerMessageIdOf(message: InboundMessage, token: string | undefined): string | null {
  const sid = sidOf(message);
  if (sid) return sid;
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  // Hashed: any token fits the column, and a sid (SM…/MM…) never looks like one.
  return `token:${createHash('sha256').update(token).digest('base64url')}`;
}

/**
 * Advanced Opt-Out's OptOutType wins over our own reading: the Messaging Service may have
 * keywords of its own (another language, say) that Twilio has already acted on.
 */
function interpret(message: InboundMessage): Interpretation {
  const parsed = parseConsentKeyword(typeof message.Body === 'string' ? message.Body : undefined);
  const optOutType =
    typeof message.OptOutType === 'string' ? message.OptOutType.trim().toUpperCase() : '';
  const reported = OPT_OUT_TYPES[optOutType];
  if (reported) {
    return {
      intent: reported,
      keyword: parsed.intent === reported ? parsed.keyword : optOutType,
      source: 'twilio_advanced_opt_out',
    };
  }
  return { ...parsed, source: 'keyword' };
}
