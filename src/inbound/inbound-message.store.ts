import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, LessThan, Not, type EntityManager, type Repository } from 'typeorm';
import { findRow } from '../database/direct-sql.js';
import { InboundMessageEntity } from './inbound-message.entity.js';

/** What is known of an inbound message when it arrives. */
export interface ArrivedMessage {
  providerMessageId: string;
  recipientHash: string | null;
  recipientMasked: string | null;
  receivedAt: Date;
  /** The reply text: patient data, kept here only, until REPLY_RETENTION_DAYS. */
  body: string | null;
}

/** What the patient answered to one of our texts, as the status tool says it. */
export interface ReplyToText {
  matchedMessageId: string;
  intent: string;
  receivedAt: Date;
}

/** The one writer of inbound_messages. */
@Injectable()
export class InboundMessageStore {
  constructor(
    @InjectRepository(InboundMessageEntity)
    private readonly repo: Repository<InboundMessageEntity>,
  ) {}

  /**
   * Records the message unless its provider message id is already there; its id when this
   * call recorded it (the first delivery), null for a replay. Inside the caller's unit of
   * work, so the record rolls back with whatever the message then changes. Two deliveries at
   * once: on PostgreSQL the second INSERT waits for the first transaction and then does nothing.
   */
  async recordOnce(manager: EntityManager, message: ArrivedMessage): Promise<string | null> {
    const id = randomUUID();
    await manager
      .createQueryBuilder()
      .insert()
      .into(InboundMessageEntity)
      .values({ id, ...message })
      .orIgnore()
      .execute();
    const stored = await findRow(
      manager,
      InboundMessageEntity,
      { providerMessageId: message.providerMessageId },
      ['id'],
    );
    if (!stored) throw new Error('An inbound message was neither recorded nor found');
    return stored.id === id ? id : null;
  }

  /** What the message was read as, and the text of ours it answers. */
  async settle(
    manager: EntityManager,
    id: string,
    reading: { intent: string; matchedMessageId?: string | null },
  ): Promise<void> {
    await manager.update(InboundMessageEntity, id, {
      intent: reading.intent,
      matchedMessageId: reading.matchedMessageId ?? null,
    });
  }

  /** Whether this number has had a message read as `intent` (a clarifying question, say). */
  hasIntent(manager: EntityManager, recipientHash: string, intent: string): Promise<boolean> {
    return manager.exists(InboundMessageEntity, { where: { recipientHash, intent } });
  }

  /** The latest reply to each of these texts that was matched to one, by text id. */
  async repliesTo(messageIds: readonly string[]): Promise<Map<string, ReplyToText>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.repo.find({
      select: { matchedMessageId: true, intent: true, receivedAt: true },
      where: { matchedMessageId: In([...messageIds]), intent: Not(IsNull()) },
      order: { receivedAt: 'ASC' },
    });
    const replies = new Map<string, ReplyToText>();
    for (const row of rows) {
      replies.set(row.matchedMessageId as string, {
        matchedMessageId: row.matchedMessageId as string,
        intent: row.intent as string,
        receivedAt: row.receivedAt,
      });
    }
    return replies;
  }

  /**
   * Clears the text of up to `limit` replies received before `cutoff`; the row stays, so a
   * replayed delivery of an old message is still recognised. Answers how many were cleared.
   */
  async purgeBodies(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    const old = await manager.find(InboundMessageEntity, {
      select: { id: true },
      where: { receivedAt: LessThan(cutoff), body: Not(IsNull()) },
      order: { receivedAt: 'ASC' },
      take: limit,
    });
    if (old.length === 0) return 0;
    await manager.update(
      InboundMessageEntity,
      { id: In(old.map((row) => row.id)) },
      { body: null },
    );
    return old.length;
  }
}
