import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Between,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThanOrEqual,
  Not,
  QueryFailedError,
  type EntityManager,
  type Repository,
} from 'typeorm';
import { deleteBatch } from '../database/delete-batch.js';
import { insertRow, updateRow } from '../database/direct-sql.js';
import { MessageEntity, type MessageStatus } from './message.entity.js';

/** Texts that left the service: a patient may be answering one of them. */
const SENT: MessageStatus[] = ['accepted', 'queued', 'sending', 'sent', 'delivered'];

export type NewMessage = Omit<
  MessageEntity,
  | 'createdAt'
  | 'updatedAt'
  | 'status'
  | 'providerSid'
  | 'errorCode'
  | 'responseJson'
  | 'responseStatus'
>;

export interface Settlement {
  status: MessageStatus;
  providerSid?: string | null;
  errorCode?: string | null;
  /** The answer given, replayed for a repeated Idempotency-Key or a duplicate. */
  response?: { status: number; body: object };
}

/** Rows the service still works on (to be sent, being sent): never purged, whatever their age. */
export const PENDING_STATUSES: readonly MessageStatus[] = ['accepted', 'scheduled', 'sending'];

/** Which unique key a second claim ran into. */
export type ClaimConflict = 'idempotency_key' | 'dedupe_key';

/** Reads a unique violation from either driver: PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE. */
export function claimConflictOf(error: unknown): ClaimConflict | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string; message?: string };
  const isUnique = driverError.code === '23505' || driverError.code === 'SQLITE_CONSTRAINT_UNIQUE';
  if (!isUnique) return undefined;
  const where = `${driverError.constraint ?? ''} ${driverError.message ?? ''}`;
  return where.includes('dedupe') ? 'dedupe_key' : 'idempotency_key';
}

/**
 * Message rows: claimed before the transport is called, settled after. Writes take the
 * caller's transaction manager so each commits together with its audit event.
 */
@Injectable()
export class MessageStore {
  constructor(@InjectRepository(MessageEntity) private readonly repo: Repository<MessageEntity>) {}

  /** Inserts the row as 'accepted'; a second claim of the same key fails with a unique violation. */
  async claim(manager: EntityManager, message: NewMessage): Promise<MessageEntity> {
    const row = manager.create(MessageEntity, {
      ...message,
      status: 'accepted',
      providerSid: null,
      errorCode: null,
      responseJson: null,
      responseStatus: null,
    });
    await insertRow(manager, MessageEntity, row);
    // The stored times are the database's defaults; the caller only needs them roughly.
    row.createdAt = row.updatedAt = new Date();
    return row;
  }

  async settle(manager: EntityManager, id: string, settlement: Settlement): Promise<void> {
    await updateRow(manager, MessageEntity, id, {
      status: settlement.status,
      providerSid: settlement.providerSid ?? null,
      errorCode: settlement.errorCode ?? null,
      responseJson: settlement.response ? JSON.stringify(settlement.response.body) : null,
      responseStatus: settlement.response?.status ?? null,
    });
  }

  /**
   * Moves a row to `status` only while it is in one of `from`: concurrent or out-of-order
   * updates (delivery callbacks, reconciliation) can only move a message forward. Returns
   * whether it moved.
   */
  async advance(
    manager: EntityManager,
    id: string,
    from: MessageStatus[],
    change: { status: MessageStatus; providerSid?: string | null; errorCode?: string | null },
  ): Promise<boolean> {
    const update = await manager.update(
      MessageEntity,
      { id, status: In(from) },
      {
        status: change.status,
        ...(change.providerSid !== undefined ? { providerSid: change.providerSid } : {}),
        ...(change.errorCode !== undefined ? { errorCode: change.errorCode } : {}),
      },
    );
    return Boolean(update.affected);
  }

  /**
   * The row a delivery callback speaks of: by the provider's sid, or by the message id the
   * callback URL carries for a send whose answer (and sid) never arrived.
   */
  async findForCallback(
    manager: EntityManager,
    providerSid: string | undefined,
    messageId: string | undefined,
  ): Promise<MessageEntity | null> {
    const bySid = providerSid ? await manager.findOneBy(MessageEntity, { providerSid }) : null;
    if (bySid || !messageId) return bySid;
    return manager.findOneBy(MessageEntity, { id: messageId, providerSid: IsNull() });
  }

  /** Only a still-scheduled row becomes canceled; false when it had already moved on. */
  async cancel(
    manager: EntityManager,
    id: string,
    errorCode: string | null = null,
  ): Promise<boolean> {
    const update = await manager.update(
      MessageEntity,
      { id, status: 'scheduled' },
      { status: 'canceled', ...(errorCode ? { errorCode } : {}) },
    );
    return Boolean(update.affected);
  }

  /**
   * Takes due scheduled rows for sending ('scheduled' -> 'sending'), each by a conditional
   * update so two instances never take the same row; on PostgreSQL the candidates are read
   * FOR UPDATE SKIP LOCKED, so instances polling together take different rows.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<MessageEntity[]> {
    const query = manager
      .createQueryBuilder(MessageEntity, 'm')
      .where({ status: 'scheduled', sendAt: LessThanOrEqual(now) })
      .orderBy('m.send_at', 'ASC')
      .limit(limit);
    if (manager.connection.driver.options.type === 'postgres') {
      query.setLock('pessimistic_write').setOnLocked('skip_locked');
    }
    const due = await query.getMany();
    const claimed: MessageEntity[] = [];
    for (const row of due) {
      if (await this.advance(manager, row.id, ['scheduled'], { status: 'sending' })) {
        claimed.push(row);
      }
    }
    return claimed;
  }

  /** The scheduled reminders of a message (an appointment confirmation). */
  findPendingReminders(id: string): Promise<MessageEntity[]> {
    return this.repo.findBy({ reminderOf: id, status: 'scheduled' });
  }

  /** A key's messages in one conversation, newest first. */
  findByConversation(
    apiKeyName: string,
    conversationId: string,
    take: number,
  ): Promise<MessageEntity[]> {
    return this.repo.find({
      where: { apiKeyName, conversationId },
      order: { createdAt: 'DESC' },
      take,
    });
  }

  /** Whether this number was ever sent (or scheduled) a text, whatever came of it. */
  async hasTexted(recipientHash: string): Promise<boolean> {
    return this.repo.exists({ where: { recipientHash, status: Not(In(['failed', 'canceled'])) } });
  }

  /** Rows in one of `statuses` created inside [after, before], oldest first. */
  findCreatedBetween(
    statuses: MessageStatus[],
    after: Date,
    before: Date,
    take: number,
  ): Promise<MessageEntity[]> {
    return this.repo.find({
      where: { status: In(statuses), createdAt: Between(after, before) },
      order: { createdAt: 'ASC' },
      take,
    });
  }

  /** The latest text that went out to this number since `since` (a reply answers it). */
  latestSentTo(recipientHash: string, since: Date): Promise<MessageEntity | null> {
    return this.repo.findOne({
      where: { recipientHash, status: In(SENT), createdAt: MoreThanOrEqual(since) },
      order: { createdAt: 'DESC' },
    });
  }

  findByProviderSid(providerSid: string): Promise<MessageEntity | null> {
    return this.repo.findOneBy({ providerSid });
  }

  findById(id: string): Promise<MessageEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The key that sent each of these messages, by id (the sandbox outbox shows a key its own). */
  async sendersOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.repo.find({
      select: { id: true, apiKeyName: true },
      where: { id: In([...ids]) },
    });
    return new Map(rows.map((row) => [row.id, row.apiKeyName]));
  }

  findByClaim(
    conflict: ClaimConflict,
    apiKeyName: string,
    key: string,
  ): Promise<MessageEntity | null> {
    return conflict === 'dedupe_key'
      ? this.repo.findOneBy({ dedupeKey: key })
      : this.repo.findOneBy({ apiKeyName, idempotencyKey: key });
  }

  /**
   * Frees a key held by an old or failed row so a new claim can take it. Conditional on what
   * the caller saw, so two instances cannot both free and re-claim it.
   */
  async releaseKey(
    manager: EntityManager,
    conflict: ClaimConflict,
    id: string,
    condition: { createdBefore?: Date; status?: MessageStatus },
  ): Promise<void> {
    const where = {
      id,
      ...(condition.createdBefore ? { createdAt: LessThan(condition.createdBefore) } : {}),
      ...(condition.status ? { status: condition.status } : {}),
    };
    await manager.update(
      MessageEntity,
      where,
      conflict === 'dedupe_key' ? { dedupeKey: null } : { idempotencyKey: null },
    );
  }

  /**
   * Retention: deletes up to `limit` rows created and last changed before `cutoff`, except
   * pending ones and a confirmation whose reminder is still pending (canceling one cancels
   * the other). Returns how many went.
   */
  purgeSettled(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    const pending = [...PENDING_STATUSES];
    return deleteBatch(
      manager,
      MessageEntity,
      {
        sql: (row) =>
          `${row}."created_at" < :cutoff AND ${row}."updated_at" < :cutoff ` +
          `AND ${row}."status" NOT IN (:...pending) AND NOT EXISTS (SELECT 1 FROM "messages" "reminder" ` +
          `WHERE "reminder"."reminder_of" = ${row}."id" AND "reminder"."status" IN (:...pending))`,
        parameters: { cutoff, pending },
      },
      limit,
    );
  }
}
