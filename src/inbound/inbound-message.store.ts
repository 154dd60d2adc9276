import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { findRow } from '../database/direct-sql.js';
import { InboundMessageEntity } from './inbound-message.entity.js';

/** What is known of an inbound message when it arrives. */
export interface ArrivedMessage {
  providerMessageId: string;
  recipientHash: string | null;
  recipientMasked: string | null;
  receivedAt: Date;
}

/** The one writer of inbound_messages. */
@Injectable()
export class InboundMessageStore {
  /**
   * Records the message unless its provider message id is already there; true when this call
   * recorded it (the first delivery), false for a replay. Inside the caller's unit of work, so
   * the record rolls back with whatever the message then changes. Two deliveries at once: on
   * PostgreSQL the second INSERT waits for the first transaction and then does nothing.
   */
  async recordOnce(manager: EntityManager, message: ArrivedMessage): Promise<boolean> {
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
    return stored.id === id;
  }
}
