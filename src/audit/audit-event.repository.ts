import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { insertRow, rawQuery } from '../database/direct-sql.js';
import type { AuditAction } from './audit-event.js';
import { AuditEventEntity } from './audit-event.entity.js';

/**
 * PostgreSQL: appends (and the purge) take pg_advisory_xact_lock with this fixed key, the
 * bytes of "audit_ch". It is transaction-scoped (released by COMMIT or ROLLBACK, even when a
 * connection dies), blocks only other chain writers, never readers, and serializes writers
 * from every app instance on the database. The seq primary key backs it up: a writer that
 * skipped the lock gets a unique violation instead of forking the chain.
 */
export const AUDIT_CHAIN_LOCK_KEY = '7022629598040908648';

export interface AuditFilters {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  action?: AuditAction;
  actor?: string;
  messageId?: string;
  conversationId?: string;
  requestId?: string;
  /** RecipientHasher.hash(e164): callers hash the number, the table never sees it. */
  recipientHash?: string;
}

/** An event of the chain by its position and hash: what the next one links to. */
export interface ChainLink {
  seq: number;
  hash: string;
}

/** The newest event; keyId null while the chain still ends in an unkeyed (version 1) event. */
export interface ChainHead extends ChainLink {
  keyId: string | null;
}

/**
 * The one place that reads and writes audit_events. Appends run in the caller's unit of work
 * with the chain lock held, so the next seq and prev_hash are read and written atomically.
 */
@Injectable()
export class AuditEventRepository {
  private readonly isPostgres: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  /** Takes the chain lock for the rest of `manager`'s transaction. */
  async lockChain(manager: EntityManager): Promise<void> {
    if (this.isPostgres) {
      await manager.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
    } else {
      // Changes no row (the append-only trigger never fires) but takes SQLite's write lock
      // now, waiting up to busy_timeout for another process (e.g. the purge CLI), instead of
      // failing with SQLITE_BUSY_SNAPSHOT when the transaction later tries to write.
      await manager.query('UPDATE audit_events SET seq = seq WHERE 0');
    }
  }

  /** The newest event, or null for an empty chain. */
  async head(manager: EntityManager = this.dataSource.manager): Promise<ChainHead | null> {
    // PostgreSQL returns bigint as a string.
    const [last] = await rawQuery<{ seq: number | string; hash: string; key_id: string | null }[]>(
      manager,
      'SELECT "seq", "hash", "key_id" FROM "audit_events" ORDER BY "seq" DESC LIMIT 1',
      [],
    );
    return last ? { seq: Number(last.seq), hash: last.hash, keyId: last.key_id } : null;
  }

  async insert(manager: EntityManager, event: AuditEventEntity): Promise<void> {
    await insertRow(manager, AuditEventEntity, event);
  }

  findBySeq(
    seq: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AuditEventEntity | null> {
    return manager.getRepository(AuditEventEntity).findOneBy({ seq });
  }

  /** The newest seq below `seq`, or null when there is none. */
  async lastSeqBefore(seq: number): Promise<number | null> {
    const [row] = await rawQuery<{ seq: number | string | null }[]>(
      this.dataSource.manager,
      'SELECT MAX("seq") AS "seq" FROM "audit_events" WHERE "seq" < ?',
      [seq],
    );
    return row?.seq == null ? null : Number(row.seq);
  }

  /** Removes every event up to and including `seq`; returns how many. */
  async deleteThrough(manager: EntityManager, seq: number): Promise<number> {
    const deleted = await manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder()
      .delete()
      .where('seq <= :through', { through: seq })
      .execute();
    return deleted.affected ?? 0;
  }

  /** The latest audit.purged record: where the remaining chain starts. */
  async latestPurgeRecord(manager = this.dataSource.manager) {
    return manager.getRepository(AuditEventEntity).findOne({
      where: { action: 'audit.purged' },
      order: { seq: 'DESC' },
    });
  }

  /** One keyset batch (seq > afterSeq, oldest first): what query, verify and export read with. */
  page(
    filters: AuditFilters,
    afterSeq: number,
    limit: number,
    throughSeq?: number,
  ): Promise<AuditEventEntity[]> {
    const qb = this.filtered(filters)
      .andWhere('e.seq > :afterSeq', { afterSeq })
      .orderBy('e.seq', 'ASC')
      .limit(limit);
    if (throughSeq !== undefined) qb.andWhere('e.seq <= :throughSeq', { throughSeq });
    return qb.getMany();
  }

  /** The seq to purge through, or null when nothing is old enough. */
  async purgeBoundary(cutoff: Date): Promise<number | null> {
    const repo = this.dataSource.getRepository(AuditEventEntity);
    const bounds = await repo
      .createQueryBuilder('e')
      .select('MIN(e.seq)', 'oldest')
      .addSelect('MAX(e.seq)', 'newest')
      .getRawOne<{ oldest: string | number | null; newest: string | number | null }>();
    if (bounds?.oldest == null || bounds.newest == null) return null;
    const kept = await repo
      .createQueryBuilder('e')
      .select('MIN(e.seq)', 'seq')
      .where('e.at >= :cutoff', { cutoff })
      .getRawOne<{ seq: string | number | null }>();
    const through = kept?.seq == null ? Number(bounds.newest) : Number(kept.seq) - 1;
    return through >= Number(bounds.oldest) ? through : null;
  }

  filtered(filters: AuditFilters): SelectQueryBuilder<AuditEventEntity> {
    const qb = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('e');
    if (filters.from) qb.andWhere('e.at >= :from', { from: filters.from });
    if (filters.to) qb.andWhere('e.at < :to', { to: filters.to });
    if (filters.action) qb.andWhere('e.action = :action', { action: filters.action });
    if (filters.actor) qb.andWhere('e.actor = :actor', { actor: filters.actor });
    if (filters.messageId) qb.andWhere('e.messageId = :messageId', filters);
    if (filters.conversationId) qb.andWhere('e.conversationId = :conversationId', filters);
    if (filters.requestId) qb.andWhere('e.requestId = :requestId', filters);
    if (filters.recipientHash) qb.andWhere('e.recipientHash = :recipientHash', filters);
    return qb;
  }
}
