import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { auditConfig } from '../config/audit.config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SYSTEM_ACTOR, type AppendedAuditEvent, type AuditEventInput } from './audit-event.js';
import { InvalidAuditEventError, prepareAuditEvent } from './audit-event-input.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventRepository, type AuditFilters } from './audit-event.repository.js';
import { CSV_HEADER, toCsvLine, toNdjsonLine, type AuditExportFormat } from './audit-export.js';
import { AuditChainVerifier } from './chain-verifier.js';
import { ChainWriter } from './chain-writer.js';
import { toAuditEventDto, type AuditEventPageDto } from './dto/audit-event.dto.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';
import { decodeCursor, encodeCursor } from '../common/http/seq-cursor.js';
import { purgeBoundaryOf } from './purge-record.js';

export type { AuditFilters } from './audit-event.repository.js';

const EXPORT_BATCH_SIZE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Work that must commit or roll back with an audit event: called in the event's transaction,
 * right after it is appended (events out are written this way, in the same unit of work).
 */
export type AuditAppendListener = (event: AuditEventInput, manager: EntityManager) => Promise<void>;

export interface AuditPurgeResult {
  cutoff: string;
  purged_count: number;
  purged_through_seq: number | null;
  /** seq of the audit.purged record. */
  record_seq: number;
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
 * Each event stores the hash of the one before it (prev_hash) and an HMAC-SHA256 with the
 * chain key over its own canonical form (audit-chain.ts), so editing, deleting, inserting or
 * reordering a stored event breaks the chain at that event, and without the key no one can
 * write a chain that verifies. Checkpoints outside the database catch a cut tail.
 */
@Injectable()
export class AuditLogService {
  private readonly listeners: AuditAppendListener[] = [];

  constructor(
    private readonly events: AuditEventRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: RecipientHasher,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    private readonly writer: ChainWriter,
    private readonly verifier: AuditChainVerifier,
    private readonly clock: Clock,
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

  /** Runs `listener` in the transaction of every event appended from now on. */
  onAppend(listener: AuditAppendListener): void {
    this.listeners.push(listener);
  }

  private async appendEvent(
    event: AuditEventInput,
    manager?: EntityManager,
  ): Promise<AppendedAuditEvent> {
    const prepared = prepareAuditEvent(event, this.hasher);
    if (!manager) return this.unitOfWork.run((own) => this.appendWith(own, event, prepared));
    if (!this.unitOfWork.owns(manager)) {
      throw new InvalidAuditEventError(
        'append(event, manager) needs a manager in a transaction of UnitOfWork.run()',
      );
    }
    return this.appendWith(manager, event, prepared);
  }

  private async appendWith(
    manager: EntityManager,
    event: AuditEventInput,
    prepared: ReturnType<typeof prepareAuditEvent>,
  ): Promise<AppendedAuditEvent> {
    const appended = await this.writer.appendLocked(manager, prepared);
    for (const listener of this.listeners) await listener(event, manager);
    return appended;
  }

  /** One page, oldest first; `cursor` is the next_cursor of the page before. */
  async query(filters: AuditFilters, cursor?: string, limit = 50): Promise<AuditEventPageDto> {
    const afterSeq = cursor ? decodeCursor(cursor) : 0;
    const rows = await this.events.page(filters, afterSeq, limit + 1);
    const events = rows.slice(0, limit).map(toAuditEventDto);
    const hasMore = rows.length > limit;
    return { events, next_cursor: hasMore ? encodeCursor(events[events.length - 1].seq) : null };
  }

  /** The whole chain, checked against the newest checkpoint (AuditChainVerifier.verify). */
  verify(options: { throughSeq?: number } = {}): Promise<AuditVerifyResultDto> {
    return this.verifier.verify(options);
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
   * Removes the events older than AUDIT_RETENTION_DAYS (always a prefix of the chain, cut at
   * the first event young enough to keep) and appends an audit.purged record, keyed like every
   * event, naming the seq and hash of the last removed event and who ran it, in one
   * transaction. Refuses when the part to remove does not verify.
   */
  async purge(actor = SYSTEM_ACTOR): Promise<AuditPurgeResult> {
    const now = this.clock.now();
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
      let boundary = purgeBoundaryOf(await this.events.latestPurgeRecord(manager));
      if (through !== null) {
        const last = await this.events.findBySeq(through, manager);
        if (!last) throw new Error(`The audit chain has no event ${through} to purge through.`);
        purged = await this.events.deleteThrough(manager, through);
        boundary = { seq: last.seq, hash: last.hash };
      }
      const record = await this.writer.appendLocked(
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
        record_seq: record.seq,
      };
    });
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
