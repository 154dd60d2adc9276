import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TWILIO_ACTOR } from '../../../audit/audit-event.js';
import type { ProviderKeyword } from '../../../inbound/consent-replies.js';
import { InboundService } from '../../../inbound/inbound.service.js';
import { messagingTwiml } from './twiml.js';

/** The fields of Twilio's incoming-message webhook this service reads (it posts many more). */
export interface InboundMessage {
  From?: unknown;
  Body?: unknown;
  MessageSid?: unknown;
  /** Set by Advanced Opt-Out when the message matched one of the Messaging Service's keywords. */
  OptOutType?: unknown;
}

const OPT_OUT_TYPES: Record<string, ProviderKeyword['intent']> = {
  STOP: 'opt_out',
  START: 'opt_in',
  HELP: 'help',
};
const SID = /^(SM|MM)[0-9a-f]{32}$/i;
/** Longer I-Twilio-Idempotency-Token values are ignored (Twilio's are far shorter). */
const MAX_TOKEN_LENGTH = 256;

/**
 * Twilio's way in for replies: reads its webhook's fields and answers with TwiML. What a reply
 * means and changes is decided by inbound/ (InboundService), whatever the provider.
 */
@Injectable()
export class InboundMessageService {
  constructor(private readonly inbound: InboundService) {}

  /**
   * `idempotencyToken`: Twilio's I-Twilio-Idempotency-Token header, the same on every retry of
   * one delivery; it stands in for a missing MessageSid.
   */
  async answer(
    message: InboundMessage,
    requestId: string,
    idempotencyToken?: string,
  ): Promise<string> {
    const outcome = await this.inbound.receive({
      from: typeof message.From === 'string' ? message.From : undefined,
      body: typeof message.Body === 'string' ? message.Body : '',
      providerMessageId: providerMessageIdOf(message, idempotencyToken),
      providerSid: sidOf(message),
      providerKeyword: reportedKeyword(message),
      requestId,
      actor: TWILIO_ACTOR,
    });
    return messagingTwiml(outcome.reply);
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

/** Advanced Opt-Out's OptOutType: Twilio has acted on one of the Messaging Service's keywords. */
function reportedKeyword(message: InboundMessage): ProviderKeyword | undefined {
  const type =
    typeof message.OptOutType === 'string' ? message.OptOutType.trim().toUpperCase() : '';
  const intent = OPT_OUT_TYPES[type];
  return intent ? { intent, keyword: type, source: 'twilio_advanced_opt_out' } : undefined;
}
