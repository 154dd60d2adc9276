import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { maskPhone } from '../common/mask.js';
import { insertRow, rawQuery } from '../database/direct-sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { auditConfig } from '../config/audit.config.js';
import { canonicalJson, GENESIS_HASH, hashEvent, type ChainedEvent } from './audit-chain.js';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  SYSTEM_ACTOR,
  type AppendedAuditEvent,
  type AuditAction,
  type AuditDetails,
  type AuditEventInput,
} from './audit-event.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { CSV_HEADER, toCsvLine, toNdjsonLine, type AuditExportFormat } from './audit-export.js';
import { toAuditEventDto, type AuditEventPageDto } from './dto/audit-event.dto.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';
import { decodeCursor, encodeCursor } from '../common/http/seq-cursor.js';

/**
 * PostgreSQL: appends (and the purge) take pg_advisory_xact_lock with this fixed key, the
 * bytes of "audit_ch". It is transaction-scoped (released by COMMIT or ROLLBACK, even when a
 * connection dies), blocks only other chain writers, never readers, and serializes writers
 * from every app instance on the database. The seq primary key backs it up: a writer that
 * skipped the lock gets a unique violation instead of forking the chain.
 */
export const AUDIT_CHAIN_LOCK_KEY = '7022629598040908648';

const EXPORT_BATCH_SIZE = 500;
const VERIFY_BATCH_SIZE = 1000;
const VERIFY_ATTEMPTS = 3;
const MAX_DETAILS_LENGTH = 4096;
const DAY_MS = 24 * 60 * 60 * 1000;
const E164 = /^\+[1-9]\d{1,14}$/;
/** A phone number anywhere in a string, e.g. Twilio's "whatsapp:+12025550143". */
const PHONE_IN_TEXT = /\+[1-9]\d{6,14}/;
/** Keys that would carry message text or a phone number into the audit trail. */
const FORBIDDEN_DETAIL_KEYS = new Set([
  'body',
  'text',
  'message',
  'message_text',
  'message_body',
  'phone',
  'phone_number',
  'recipient',
  'caller_id',
]);

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

export interface AuditPurgeResult {
  cutoff: string;
  purged_count: number;
  purged_through_seq: number | null;
  checkpoint_seq: number;
}

/** A programming error in what was handed to append(): the caller must not go on unaudited. */
export class InvalidAuditEventError extends Error {
  override name = 'InvalidAuditEventError';
}

/** purge() refuses to delete events whose chain does not verify: that would erase the evidence. */
export class AuditChainBrokenError extends Error {
  override name = 'AuditChainBrokenError';
  constructor(readonly result: AuditVerifyResultDto) {
    super(`The audit chain is broken at seq ${result.first_broken_seq}; nothing was purged.`);
  }
}

type PreparedEvent = Omit<ChainedEvent, 'seq' | 'at' | 'prevHash'>;
interface ChainLink {
  seq: number;
  hash: string;
}

/**
 * The tamper-evident audit trail: append, query, verify, export, purge.
 *
 * Each event stores the hash of the one before it (prev_hash) and a SHA-256 over its own
 * canonical form (audit-chain.ts), so editing, deleting, inserting or reordering a stored
 * event breaks the chain at that event. seq is assigned as last + 1 under the chain lock
 * (not by a database sequence, which leaves gaps on rollback), so a gap proves a deletion.
 */
@Injectable()
export class AuditLogService {
  private readonly isPostgres: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: RecipientHasher,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    // Optional: the audit CLI runs without the metrics module.
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  /**
   * Appends one event to the chain. With `manager` (from UnitOfWork.run(); on PostgreSQL
   * any READ COMMITTED transaction will do) the event commits or rolls back with the
   * caller's other writes; without it, it commits on its own before this resolves.
   * Throws when the event cannot be recorded: the caller must then refuse or fail the step.
   */
  async append(event: AuditEventInput, manager?: EntityManager): Promise<AppendedAuditEvent> {
    const started = process.hrtime.bigint();
    const appended = await this.appendEvent(event, manager);
    this.metrics?.observeAuditAppend(Number(process.hrtime.bigint() - started) / 1e9);
    return appended;
  }

  private async appendEvent(
    event: AuditEventInput,
    manager?: EntityManager,
  ): Promise<AppendedAuditEvent> {
    const prepared = this.prepare(event);
    if (!manager) return this.unitOfWork.run((own) => this.appendLocked(own, prepared));
    if (!this.unitOfWork.owns(manager)) {
      throw new InvalidAuditEventError(
        'append(event, manager) needs a manager in a transaction of UnitOfWork.run()',
      );
    }
    return this.appendLocked(manager, prepared);
  }

  /** One page, oldest first; `cursor` is the next_cursor of the page before. */
  async query(filters: AuditFilters, cursor?: string, limit = 50): Promise<AuditEventPageDto> {
    const afterSeq = cursor ? decodeCursor(cursor) : 0;
    const rows = await this.page(filters, afterSeq, limit + 1);
    const events = rows.slice(0, limit).map(toAuditEventDto);
    const hasMore = rows.length > limit;
    return { events, next_cursor: hasMore ? encodeCursor(events[events.length - 1].seq) : null };
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

  /**
   * Walks the chain oldest to newest in batches. The oldest remaining event must be seq 1
   * after the genesis hash, or follow exactly the seq and hash that the latest audit.purged
   * checkpoint recorded; every later event must be the next seq, link to the stored hash
   * before it, and hash to its own stored hash.
   */
  async verify(options: { throughSeq?: number } = {}): Promise<AuditVerifyResultDto> {
    for (let attempt = 1; ; attempt++) {
      const checkpoint = await this.latestCheckpoint();
      const result = await this.walk(checkpoint, options.throughSeq);
      if (result.ok || attempt === VERIFY_ATTEMPTS) return result;
      // A purge that committed during the walk moves the start; walk again before accusing.
      const now = await this.latestCheckpoint();
      if (now?.seq === checkpoint?.seq) return result;
    }
  }

  /**
   * The events matching `filters` as NDJSON or CSV, read in batches of 500 as the consumer
   * pulls, so memory stays flat however large the table. Stops at the newest event that
   * existed when the export began.
   */
  exportStream(format: AuditExportFormat, filters: AuditFilters = {}): Readable {
    return Readable.from(this.exportChunks(format, filters), { objectMode: false });
  }

  /**
   * Removes the events older than AUDIT_RETENTION_DAYS before `now` (always a prefix of the
   * chain, cut at the first event young enough to keep) and appends an audit.purged
   * checkpoint recording the seq and hash of the last removed event, in one transaction.
   * Refuses when the part to remove does not verify.
   */
  async purge(now = new Date(), actor = SYSTEM_ACTOR): Promise<AuditPurgeResult> {
    const cutoff = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    const through = await this.purgeBoundary(cutoff);
    if (through !== null) {
      const check = await this.verify({ throughSeq: through + 1 });
      if (!check.ok) throw new AuditChainBrokenError(check);
    }
    return this.unitOfWork.run(async (manager) => {
      await this.lockChain(manager);
      const head = await this.head(manager);
      const repo = manager.getRepository(AuditEventEntity);
      let purged = 0;
      let boundary = boundaryOf(await this.latestCheckpoint(manager));
      if (through !== null) {
        const last = await repo.findOneBy({ seq: through });
        if (!last) throw new Error(`The audit chain has no event ${through} to purge through.`);
        const deleted = await repo
          .createQueryBuilder()
          .delete()
          .where('seq <= :through', { through })
          .execute();
        purged = deleted.affected ?? 0;
        boundary = { seq: last.seq, hash: last.hash };
      }
      const checkpoint = await this.appendLocked(
        manager,
        this.prepare({
          actor,
          action: 'audit.purged',
          outcome: 'success',
          details: {
            cutoff: cutoff.toISOString(),
            retention_days: this.config.retentionDays,
            purged_count: purged,
            purged_through_seq: boundary?.seq ?? null,
            purged_through_hash: boundary?.hash ?? null,
          },
        }),
        head,
      );
      return {
        cutoff: cutoff.toISOString(),
        purged_count: purged,
        purged_through_seq: through,
        checkpoint_seq: checkpoint.seq,
      };
    });
  }

  private prepare(event: AuditEventInput): PreparedEvent {
    const invalid = (problem: string) => new InvalidAuditEventError(`Audit event ${problem}`);
    if (!(AUDIT_ACTIONS as readonly string[]).includes(event.action)) {
      throw invalid(`has an unknown action "${event.action}"`);
    }
    if (!(AUDIT_OUTCOMES as readonly string[]).includes(event.outcome)) {
      throw invalid(`has an unknown outcome "${event.outcome}"`);
    }
    if (!event.actor || event.actor.length > 64) throw invalid('needs an actor of 1-64 characters');
    const limits = { messageId: 36, requestId: 128, conversationId: 128 } as const;
    for (const [field, max] of Object.entries(limits) as [keyof typeof limits, number][]) {
      if ((event[field]?.length ?? 0) > max) throw invalid(`has a ${field} over ${max} characters`);
    }
    if (event.recipient && !E164.test(event.recipient)) {
      throw invalid('needs the recipient in E.164 (+12025550143)');
    }
    return {
      actor: event.actor,
      action: event.action,
      outcome: event.outcome,
      messageId: event.messageId ?? null,
      recipientMasked: event.recipient ? maskPhone(event.recipient) : null,
      recipientHash: event.recipient ? this.hasher.hash(event.recipient) : null,
      requestId: event.requestId ?? null,
      conversationId: event.conversationId ?? null,
      details: event.details ? serializeDetails(event.details) : null,
    };
  }

  /** Lock, read the last link, chain the event to it, insert. `head` when already read. */
  private async appendLocked(
    manager: EntityManager,
    prepared: PreparedEvent,
    head?: ChainLink | null,
  ): Promise<AppendedAuditEvent> {
    if (head === undefined) {
      await this.lockChain(manager);
      head = await this.head(manager);
    }
    const chained: ChainedEvent = {
      ...prepared,
      seq: (head?.seq ?? 0) + 1,
      at: new Date(),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const hash = hashEvent(chained);
    await insertRow(manager, AuditEventEntity, { ...chained, hash });
    return { seq: chained.seq, at: chained.at, hash };
  }

  private async lockChain(manager: EntityManager): Promise<void> {
    if (this.isPostgres) {
      await manager.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
    } else {
      // Changes no row (the append-only trigger never fires) but takes SQLite's write lock
      // now, waiting up to busy_timeout for another process (e.g. the purge CLI), instead of
      // failing with SQLITE_BUSY_SNAPSHOT when the transaction later tries to write.
      await manager.query('UPDATE audit_events SET seq = seq WHERE 0');
    }
  }

  private async head(manager: EntityManager): Promise<ChainLink | null> {
    // PostgreSQL returns bigint as a string.
    const [last] = await rawQuery<{ seq: number | string; hash: string }[]>(
      manager,
      'SELECT "seq", "hash" FROM "audit_events" ORDER BY "seq" DESC LIMIT 1',
      [],
    );
    return last ? { seq: Number(last.seq), hash: last.hash } : null;
  }

  private async latestCheckpoint(manager = this.dataSource.manager) {
    return manager.getRepository(AuditEventEntity).findOne({
      where: { action: 'audit.purged' },
      order: { seq: 'DESC' },
    });
  }

  private async walk(
    checkpoint: AuditEventEntity | null,
    throughSeq?: number,
  ): Promise<AuditVerifyResultDto> {
    const head = await this.head(this.dataSource.manager);
    const boundary = boundaryOf(checkpoint);
    let expectedSeq = boundary ? boundary.seq + 1 : 1;
    let prevHash = boundary ? boundary.hash : GENESIS_HASH;
    let checked = 0;
    const result = (firstBrokenSeq: number | null): AuditVerifyResultDto => ({
      ok: firstBrokenSeq === null,
      checked,
      first_broken_seq: firstBrokenSeq,
      last_seq: head?.seq ?? null,
      last_hash: head?.hash ?? null,
    });
    if (!head) return result(null);

    const last = Math.min(head.seq, throughSeq ?? head.seq);
    for await (const batch of this.batches({}, VERIFY_BATCH_SIZE, last)) {
      for (const event of batch) {
        // Missing (deleted) events are reported by the first missing seq; an event where
        // none belongs (e.g. left over before a checkpoint) by its own.
        if (event.seq !== expectedSeq) return result(Math.min(event.seq, expectedSeq));
        if (event.prevHash !== prevHash || hashEvent(event) !== event.hash) {
          return result(event.seq);
        }
        prevHash = event.hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
    // Events cut from the end of the range (the tail itself is checked by anchoring last_hash).
    if (expectedSeq <= last) return result(expectedSeq);
    return result(null);
  }

  private async *batches(
    filters: AuditFilters,
    size: number,
    throughSeq?: number,
  ): AsyncGenerator<AuditEventEntity[]> {
    let afterSeq = 0;
    for (;;) {
      const rows = await this.page(filters, afterSeq, size, throughSeq);
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      afterSeq = rows[rows.length - 1].seq;
    }
  }

  private async *exportChunks(
    format: AuditExportFormat,
    filters: AuditFilters,
  ): AsyncGenerator<string> {
    const head = await this.head(this.dataSource.manager);
    if (format === 'csv') yield CSV_HEADER;
    if (!head) return;
    const line = format === 'csv' ? toCsvLine : toNdjsonLine;
    for await (const batch of this.batches(filters, EXPORT_BATCH_SIZE, head.seq)) {
      yield batch.map((event) => line(toAuditEventDto(event))).join('');
    }
  }

  /** The seq to purge through, or null when nothing is old enough. */
  private async purgeBoundary(cutoff: Date): Promise<number | null> {
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

  private filtered(filters: AuditFilters): SelectQueryBuilder<AuditEventEntity> {
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

function boundaryOf(checkpoint: AuditEventEntity | null): ChainLink | null {
  if (!checkpoint?.details) return null;
  try {
    const details = JSON.parse(checkpoint.details) as Record<string, unknown>;
    const seq = details.purged_through_seq;
    const hash = details.purged_through_hash;
    return typeof seq === 'number' && typeof hash === 'string' ? { seq, hash } : null;
  } catch {
    return null;
  }
}

function serializeDetails(details: AuditDetails): string {
  const check = (value: unknown, path: string): void => {
    if (typeof value === 'string' && PHONE_IN_TEXT.test(value)) {
      throw new InvalidAuditEventError(`Audit details ${path} looks like a phone number`);
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (!Array.isArray(value) && FORBIDDEN_DETAIL_KEYS.has(key.toLowerCase())) {
          throw new InvalidAuditEventError(
            `Audit details may not hold "${key}": no message text or numbers (use body_sha256)`,
          );
        }
        check(inner, `${path}.${key}`);
      }
    }
  };
  check(details, 'details');
  const text = canonicalJson(details);
  if (text.length > MAX_DETAILS_LENGTH) {
    throw new InvalidAuditEventError(`Audit details are over ${MAX_DETAILS_LENGTH} characters`);
  }
  return text;
}
