import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../audit/audit-event.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { maskPhone } from '../common/mask.js';
import { consentConfig } from '../config/consent.config.js';
import { parseConsentKeyword, type KeywordIntent } from '../consent/consent-keywords.js';
import type { ConsentSource } from '../consent/consent-state.js';
import { ConsentService } from '../consent/consent.service.js';
import { templateVersion } from '../tools/templates/template-version.js';
import { InboundMessageStore } from './inbound-message.store.js';
import { readRevocation } from './revocation-phrases.js';

type ConsentIntent = Exclude<KeywordIntent, 'none'>;
/** The automatic replies, named as their settings are (CONSENT_<name>_REPLY). */
type Reply = ConsentIntent | 'clarify';

/** A keyword the provider has acted on already (Twilio's Advanced Opt-Out, say). */
export interface ProviderKeyword {
  intent: ConsentIntent;
  keyword: string;
  source: ConsentSource;
}

/** One inbound message, as the consent words read it. */
export interface ConsentMessage {
  /** E.164, or undefined when the sender is not a phone number. */
  from?: string;
  recipientHash: string | null;
  body: string;
  providerKeyword?: ProviderKeyword;
  /** The provider's id of the message, for the audit trail. */
  providerSid: string | null;
  requestId: string;
  /** Who reports the message in the audit trail: the provider (TWILIO_ACTOR), or a sandbox key. */
  actor: string;
}

/** What the consent words made of a message: what it was read as, and the answer to text back. */
export interface ConsentAnswer {
  intent: Reply;
  reply: string | null;
}

interface Interpretation {
  intent: ConsentIntent;
  keyword: string | null;
  source: ConsentSource;
}

/**
 * Consent words first, whatever else a reply says: STOP and the other revocation keywords, or a
 * revocation in words (REVOCATION_PHRASES), opt the sender out; START opts back in; HELP gets
 * the help text. A reply that may mean "stop" but says more gets one clarifying question per
 * number, never two. Each automatic answer is recorded as a text (sms.auto_replied), never its words.
 */
@Injectable()
export class ConsentReplies {
  private readonly logger = new Logger(ConsentReplies.name);

  constructor(
    private readonly consent: ConsentService,
    @Inject(consentConfig.KEY) private readonly config: ConfigType<typeof consentConfig>,
    private readonly audit: AuditLogService,
    private readonly inbound: InboundMessageStore,
  ) {}

  /** The consent change and answer the message asks for; null for every other message. */
  async answer(message: ConsentMessage, manager: EntityManager): Promise<ConsentAnswer | null> {
    const reading = interpret(message);
    if (reading === 'unclear') return this.clarify(message, manager);
    if (!reading) return null;
    const { intent, keyword, source } = reading;
    // The provider has answered already when it acted (Advanced Opt-Out), or answers keywords.
    const providerAnswers =
      source === 'twilio_advanced_opt_out' || (source === 'keyword' && this.config.advancedOptOut);
    if (intent === 'help') {
      return {
        intent,
        reply: providerAnswers ? null : await this.reply('help', message, keyword, manager),
      };
    }
    const { from } = message;
    if (!from) {
      // Nothing recorded, so confirming would be false; the provider's own STOP handling still applies.
      this.logger.warn(
        `Ignored a ${keyword ?? intent} reply from a sender that is not a phone number`,
      );
      return { intent, reply: null };
    }
    const state = intent === 'opt_out' ? 'opted_out' : 'opted_in';
    await this.consent.record(
      from,
      {
        state,
        source,
        keyword,
        actor: message.actor,
        requestId: message.requestId,
        providerSid: message.providerSid,
      },
      manager,
    );
    this.logger.log(`Consent of ${maskPhone(from)} is now ${state} (${source})`);
    return {
      intent,
      reply: providerAnswers ? null : await this.reply(intent, message, keyword, manager),
    };
  }

  /** At most one question per number: after that, such a reply is read as any other. */
  private async clarify(
    message: ConsentMessage,
    manager: EntityManager,
  ): Promise<ConsentAnswer | null> {
    if (!message.from || !message.recipientHash) return null;
    if (await this.inbound.hasIntent(manager, message.recipientHash, 'clarify')) return null;
    return { intent: 'clarify', reply: await this.reply('clarify', message, null, manager) };
  }

  /**
   * One of the configured replies, recorded as a text to the sender (sms.auto_replied) in the
   * same unit of work: which reply, its language and version, never its words.
   */
  private async reply(
    reply: Reply,
    message: ConsentMessage,
    keyword: string | null,
    manager: EntityManager,
  ): Promise<string> {
    const text = {
      help: this.config.helpReply,
      opt_out: this.config.optOutReply,
      opt_in: this.config.optInReply,
      clarify: this.config.clarifyReply,
    }[reply];
    await this.audit.append(
      {
        actor: SYSTEM_ACTOR,
        action: 'sms.auto_replied',
        outcome: 'success',
        recipient: message.from ?? null,
        requestId: message.requestId,
        details: {
          reply,
          keyword,
          template_language: this.config.replyLanguage,
          template_version: templateVersion(text),
          body_sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
          in_reply_to: message.providerSid,
        },
      },
      manager,
    );
    return text;
  }
}

/**
 * The provider's report wins over our own reading: it may have keywords of its own (another
 * language, say) that it has already acted on. Then whole-message keywords, then phrases.
 */
function interpret(message: ConsentMessage): Interpretation | 'unclear' | null {
  const parsed = parseConsentKeyword(message.body);
  const reported = message.providerKeyword;
  if (reported) {
    return {
      intent: reported.intent,
      keyword: parsed.intent === reported.intent ? parsed.keyword : reported.keyword,
      source: reported.source,
    };
  }
  if (parsed.intent !== 'none')
    return { intent: parsed.intent, keyword: parsed.keyword, source: 'keyword' };
  const revocation = readRevocation(message.body);
  if (revocation === 'revoked') return { intent: 'opt_out', keyword: null, source: 'reply_phrase' };
  return revocation === 'unclear' ? 'unclear' : null;
}
