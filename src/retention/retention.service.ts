import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import {
  RETAINED_TABLES,
  retentionConfig,
  type RetainedTable,
  type RetentionConfig,
} from '../config/retention.config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { RetentionLock } from './retention-lock.js';
import { TABLE_PURGES, type TablePurge } from './table-purges.js';

/** Who purges when nobody asked: the scheduled worker. */
export const RETENTION_WORKER_ACTOR = 'retention-worker';

/**
 * Rows one transaction deletes at most. Every transaction takes the audit chain's lock on
 * PostgreSQL (sends wait for it), so a large backlog goes in many short ones.
 */
export const PURGE_BATCH = 1000;
const DAY_MS = 86_400_000;

/** Who ran a purge: the worker on its schedule, or an operator by hand (`npm run retention:purge`). */
export interface PurgeRequest {
  actor: string;
  trigger: 'schedule' | 'manual';
}

export interface TablePurgeResult {
  table: RetainedTable | 'audit_events';
  /** Rows changed or recorded before this went; null when the purge failed before knowing it. */
  cutoff: string | null;
  purged: number;
  /** Why this table's purge stopped; the other tables are purged all the same. */
  error?: string;
}

export interface RetentionRun extends PurgeRequest {
  at: string;
  tables: TablePurgeResult[];
}

/**
 * Applies every table's retention, then the audit trail's (AuditLogService.purge). Each batch a
 * table loses commits together with a `data.purged` audit event naming the table, the count,
 * the cutoff and who ran it, so no row goes unrecorded; the audit trail records its own purge
 * as `audit.purged`, with the same actor.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
    @Inject(TABLE_PURGES) private readonly purges: Record<RetainedTable, TablePurge>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditLogService,
    private readonly lock: RetentionLock,
  ) {}

  /** One run over every table as of `now`; null when another instance is running one. */
  purgeAll(now: Date, request: PurgeRequest): Promise<RetentionRun | null> {
    return this.lock.runExclusive(async () => {
      const tables: TablePurgeResult[] = [];
      for (const table of RETAINED_TABLES) tables.push(await this.purgeTable(table, now, request));
      tables.push(await this.purgeAuditTrail(request));
      return { ...request, at: now.toISOString(), tables };
    });
  }

  private async purgeTable(
    table: RetainedTable,
    now: Date,
    request: PurgeRequest,
  ): Promise<TablePurgeResult> {
    const retentionDays = this.config.days[table];
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const result: TablePurgeResult = { table, cutoff: cutoff.toISOString(), purged: 0 };
    try {
      for (let batch = 1; ; batch++) {
        const count = await this.unitOfWork.run(async (manager) => {
          const deleted = await this.purges[table](manager, cutoff, PURGE_BATCH);
          // The first batch is always recorded, so every run leaves its cutoff in the trail.
          if (deleted > 0 || batch === 1) {
            await this.audit.append(
              {
                actor: request.actor,
                action: 'data.purged',
                outcome: 'success',
                details: {
                  table,
                  count: deleted,
                  cutoff: result.cutoff,
                  retention_days: retentionDays,
                  trigger: request.trigger,
                },
              },
              manager,
            );
          }
          return deleted;
        });
        result.purged += count;
        if (count < PURGE_BATCH) return result;
      }
    } catch (error) {
      return this.failed(result, error);
    }
  }

  private async purgeAuditTrail(request: PurgeRequest): Promise<TablePurgeResult> {
    try {
      const purged = await this.audit.purge(request.actor);
      return { table: 'audit_events', cutoff: purged.cutoff, purged: purged.purged_count };
    } catch (error) {
      return this.failed({ table: 'audit_events', cutoff: null, purged: 0 }, error);
    }
  }

  private failed(result: TablePurgeResult, error: unknown): TablePurgeResult {
    this.logger.error({ err: error, table: result.table }, 'Retention purge failed');
    return { ...result, error: error instanceof Error ? error.message : String(error) };
  }
}
