import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { maskPhone } from '../common/mask.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { PhoneNumberService } from '../policy/phone-number.service.js';
import { ConsentReplies, type ProviderKeyword } from './consent-replies.js';
import { InboundMessageStore } from './inbound-message.store.js';
import { ReplyRecorder } from './reply-recorder.js';

/** One message a patient sent to our number, as any provider (or the sandbox) reports it. */
export interface InboundText {
  /** The sender as the provider gives it; anything that is not a phone number is kept as none. */
  from: string | undefined;
  body: string;
  /** The provider's unique id of the message (or of its delivery); null when it gave none. */
  providerMessageId: string | null;
  /** The provider's message id, for the audit trail (a SID, never an idempotency token). */
  providerSid: string | null;
  providerKeyword?: ProviderKeyword;
  requestId: string;
  /** Who reports it in the audit trail. */
  actor: string;
}

/** What the service made of an inbound message. */
export interface InboundOutcome {
  /** A second delivery of a recorded message: nothing was done. */
  replayed: boolean;
  /** What it was read as: a consent intent, a reply intent, or null when not read. */
  intent: string | null;
  /** The text to answer with, if any. */
  reply: string | null;
}

const REPLAYED: InboundOutcome = { replayed: true, intent: null, reply: null };

/**
 * Every message a patient sends to our number, whatever the provider: recorded once by its
 * provider id (a replayed or retried delivery changes nothing; the provider signs no timestamp,
 * so a captured START could otherwise be replayed after a STOP), consent words first, then the
 * reply to the latest text sent to that number. All in one unit of work.
 */
@Injectable()
export class InboundService {
  private readonly logger = new Logger(InboundService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: InboundMessageStore,
    private readonly hasher: RecipientHasher,
    private readonly clock: Clock,
    private readonly phones: PhoneNumberService,
    private readonly consent: ConsentReplies,
    private readonly replies: ReplyRecorder,
  ) {}

  receive(text: InboundText): Promise<InboundOutcome> {
    const from = this.sender(text.from);
    const recipientHash = from ? this.hasher.hash(from) : null;
    const receivedAt = this.clock.now();
    return this.unitOfWork.run(async (manager) => {
      // Without a provider id a replay cannot be told apart, but the message is still recorded
      // (its text, and a clarifying question asked, which is asked once per number).
      const inboundId = await this.store.recordOnce(manager, {
        providerMessageId: text.providerMessageId ?? `unkeyed:${randomUUID()}`,
        recipientHash,
        recipientMasked: from ? maskPhone(from) : null,
        receivedAt,
        body: text.body || null,
      });
      if (!inboundId) {
        this.logger.warn('Ignored a second delivery of an inbound message it has recorded');
        return REPLAYED;
      }
      const consent = await this.consent.answer({ ...text, from, recipientHash }, manager);
      if (consent?.intent === 'clarify' && from && recipientHash) {
        // Asked whether they meant STOP; what else they said still reaches a person.
        const reply = { ...text, inboundId, from, recipientHash, receivedAt, storedAs: 'clarify' };
        await this.replies.record(reply, manager);
        return { replayed: false, intent: consent.intent, reply: consent.reply };
      }
      if (consent) {
        await this.store.settle(manager, inboundId, { intent: consent.intent });
        return { replayed: false, intent: consent.intent, reply: consent.reply };
      }
      if (!from || !recipientHash || !text.body.trim()) {
        return { replayed: false, intent: null, reply: null };
      }
      const intent = await this.replies.record(
        { ...text, inboundId, from, recipientHash, receivedAt },
        manager,
      );
      return { replayed: false, intent, reply: null };
    });
  }

  private sender(from: string | undefined): string | undefined {
    if (!from) return undefined;
    try {
      return this.phones.normalize(from, { requireValid: false, field: 'From' }).e164;
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  }
}
