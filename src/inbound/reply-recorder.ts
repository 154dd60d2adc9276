import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service.js';
import { KeyedDigests } from '../common/keyed-digest.js';
import { repliesConfig, type RepliesConfig } from '../config/replies.config.js';
import { MessageStore } from '../messages/message.store.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { InboundMessageStore } from './inbound-message.store.js';
import { intentOf, type ReadIntent } from './reply-intent.js';

/** A reply that is not about consent, from a phone number. */
export interface PatientReply {
  /** The inbound_messages row it is recorded in. */
  inboundId: string;
  from: string;
  recipientHash: string;
  body: string;
  receivedAt: Date;
  providerSid: string | null;
  requestId: string;
  actor: string;
  /** What inbound_messages records it as when consent read it first (a clarifying question). */
  storedAs?: string;
}

/**
 * Matches a reply to the latest text sent to its number within REPLY_WINDOW_DAYS, reads it by
 * the intents that text's tool declared, and records it (sms.replied): the keyed hash of its text
 * and the intent, never the text, which stays in inbound_messages only. The audit event makes
 * the reply's event (events/audit-to-event.ts) in the same transaction.
 */
@Injectable()
export class ReplyRecorder {
  constructor(
    private readonly messages: MessageStore,
    private readonly tools: ToolRegistry,
    @Inject(repliesConfig.KEY) private readonly config: RepliesConfig,
    private readonly audit: AuditLogService,
    private readonly inbound: InboundMessageStore,
    private readonly digests: KeyedDigests,
  ) {}

  async record(reply: PatientReply, manager: EntityManager): Promise<ReadIntent> {
    const since = new Date(reply.receivedAt.getTime() - this.config.windowMs);
    const matched = await this.messages.latestSentTo(reply.recipientHash, since);
    const intent = intentOf(
      reply.body,
      matched ? this.tools.get(matched.tool)?.replies : undefined,
    );
    await this.inbound.settle(manager, reply.inboundId, {
      intent: reply.storedAs ?? intent,
      matchedMessageId: matched?.id ?? null,
    });
    await this.audit.append(
      {
        actor: reply.actor,
        action: 'sms.replied',
        outcome: 'success',
        messageId: matched?.id ?? null,
        recipient: reply.from,
        requestId: reply.requestId,
        conversationId: matched?.conversationId ?? null,
        details: {
          intent,
          tool: matched?.tool ?? null,
          // Keyed: a reply is short ("C", "yes"), so a plain SHA-256 would give it away.
          reply_sha256: this.digests.of(
            createHash('sha256').update(reply.body, 'utf8').digest('hex'),
          ),
          provider_sid: reply.providerSid,
        },
      },
      manager,
    );
    return intent;
  }
}
