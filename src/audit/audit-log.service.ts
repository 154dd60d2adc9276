import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ConfigType } from '@nestjs/config';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { auditConfig } from '../config/audit.config.js';
import { GENESIS_HASH, hashEvent, type ChainedEvent } from './audit-chain.js';
import { SYSTEM_ACTOR, type AppendedAuditEvent, type AuditEventInput } from './audit-event.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import {
  InvalidAuditEventError,
  prepareAuditEvent,
  type PreparedEvent,
} from './audit-event-input.js';
import {
  AuditEventRepository,
  type AuditFilters,
  type ChainLink,
} from './audit-event.repository.js';

import { CSV_HEADER, toCsvLine, toNdjsonLine, type AuditExportFormat } from './audit-export.js';
import { toAuditEventDto, type AuditEventPageDto } from './dto/audit-event.dto.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';
import { decodeCursor, encodeCursor } from '../common/http/seq-cursor.js';

export type { AuditFilters } from './audit-event.repository.js';
export { InvalidAuditEventError } from './audit-event-input.js';

const EXPORT_BATCH_SIZE = 500;
const VERIFY_BATCH_SIZE = 1000;
const VERIFY_ATTEMPTS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The chain's head as this transaction last wrote it, in the unit of work's memo. */
const CHAIN_HEAD = Symbol('audit chain head');

export interface AuditPurgeResult {
  cutoff: string;
  purged_count: number;
  purged_through_seq: number | null;
  checkpoint_seq: number;
}

/** purge() refuses to delete events whose chain does not verify: that would erase the evidence. */
export class AuditChainBrokenError extends Error {
  override name = 'AuditChainBrokenError';
  constructor(readonly result: AuditVerifyResultDto) {
    super(`The audit chain is broken at seq ${result.first_broken_seq}; nothing was purged.`);
  }
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
  constructor(
    private readonly events: AuditEventRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: RecipientHasher,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    // Optional: the audit CLI runs without the metrics module.
    @Optional() private readonly metrics?: MetricsService,
  ) {}

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
    const prepared = prepareAuditEvent(event, this.hasher);
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
    const rows = await this.events.page(filters, afterSeq, limit + 1);
    const events = rows.slice(0, limit).map(toAuditEventDto);
    const hasMore = rows.length > limit;
    return { events, next_cursor: hasMore ? encodeCursor(events[events.length - 1].seq) : null };
  }

  /**
   * Walks the chain oldest to newest in batches. The oldest remaining event must be seq 1
   * after the genesis hash, or follow exactly the seq and hash that the latest audit.purged
   * checkpoint recorded; every later event must be the next seq, link to the stored hash
   * before it, and hash to its own stored hash.
   */
  async verify(options: { throughSeq?: number } = {}): Promise<AuditVerifyResultDto> {
    for (let attempt = 1; ; attempt++) {
      const checkpoint = await this.events.latestCheckpoint();
      const result = await this.walk(checkpoint, options.throughSeq);
      if (result.ok || attempt === VERIFY_ATTEMPTS) return result;
      // A purge that committed during the walk moves the start; walk again before accusing.
      const now = await this.events.latestCheckpoint();
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
    const through = await this.events.purgeBoundary(cutoff);
    if (through !== null) {
      const check = await this.verify({ throughSeq: through + 1 });
      if (!check.ok) throw new AuditChainBrokenError(check);
    }
    return this.unitOfWork.run(async (manager) => {
      await this.events.lockChain(manager);
      const head = await this.events.head(manager);
      let purged = 0;
      let boundary = boundaryOf(await this.events.latestCheckpoint(manager));
      if (through !== null) {
        const last = await this.events.findBySeq(manager, through);
        if (!last) throw new Error(`The audit chain has no event ${through} to purge through.`);
        purged = await this.events.deleteThrough(manager, through);
        boundary = { seq: last.seq, hash: last.hash };
      }
      const checkpoint = await this.appendLocked(
        manager,
        prepareAuditEvent(
          {
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
          },
          this.hasher,
        ),
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

  /**
   * Lock, read the last link, chain the event to it, insert. `head` when already read. A
   * transaction that appended before holds the lock still and knows the head it wrote (the
   * units of one batch): unless a unit rolled back since, it skips both statements.
   */
  private async appendLocked(
    manager: EntityManager,
    prepared: PreparedEvent,
    head?: ChainLink | null,
  ): Promise<AppendedAuditEvent> {
    const memo = this.unitOfWork.memo(manager);
    if (head === undefined && memo?.has(CHAIN_HEAD)) head = memo.get(CHAIN_HEAD) as ChainLink;
    if (head === undefined) {
      if (!this.unitOfWork.holdsChainLock(manager)) await this.events.lockChain(manager);
      head = await this.events.head(manager);
    }
    const chained: ChainedEvent = {
      ...prepared,
      seq: (head?.seq ?? 0) + 1,
      at: new Date(),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const hash = hashEvent(chained);
    await this.events.insert(manager, { ...chained, hash });
    memo?.set(CHAIN_HEAD, { seq: chained.seq, hash } satisfies ChainLink);
    return { seq: chained.seq, at: chained.at, hash };
  }

  private async walk(
    checkpoint: AuditEventEntity | null,
    throughSeq?: number,
  ): Promise<AuditVerifyResultDto> {
    const head = await this.events.head();
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
      const rows = await this.events.page(filters, afterSeq, size, throughSeq);
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      afterSeq = rows[rows.length - 1].seq;
    }
  }

  private async *exportChunks(
    format: AuditExportFormat,
    filters: AuditFilters,
  ): AsyncGenerator<string> {
    const head = await this.events.head();
    if (format === 'csv') yield CSV_HEADER;
    if (!head) return;
    const line = format === 'csv' ? toCsvLine : toNdjsonLine;
    for await (const batch of this.batches(filters, EXPORT_BATCH_SIZE, head.seq)) {
      yield batch.map((event) => line(toAuditEventDto(event))).join('');
    }
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
