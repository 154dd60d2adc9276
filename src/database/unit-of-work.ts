import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AUDIT_CHAIN_LOCK_KEY } from '../audit/audit-event.repository.js';

/** Units that commit together at most; a long batch would hold every later caller. */
const MAX_BATCH = 32;

interface Unit {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The one place transactions open. Work that changes a row and appends its audit event runs
 * here, so both commit or neither does:
 *
 *   await unitOfWork.run(async (manager) => {
 *     await messages.settle(manager, id, settlement);
 *     await audit.append(event, manager);
 *   });
 *
 * Units run one at a time, and the units that queue up while one commits share the next
 * transaction (group commit), each inside its own savepoint: a unit that throws is rolled
 * back alone and its caller gets the error at once; the others resolve only after the shared
 * COMMIT, so nothing is reported before it is durable. Why: every unit appends to the audit
 * chain, which serialises them anyway (one SQLite writer; PostgreSQL's chain lock, held
 * through each commit's fsync), and most of a commit's cost is the commit itself (WAL pages
 * and checkpoints on SQLite, the fsync on PostgreSQL). TypeORM runs every better-sqlite3
 * transaction on one shared connection, where two that overlap in time would nest as
 * savepoints of each other, so on SQLite this queue is also what keeps them apart.
 */
@Injectable()
export class UnitOfWork {
  private readonly isPostgres: boolean;
  private readonly pending: Unit[] = [];
  private draining = false;
  /** The manager of the unit of work the caller runs in, if any. */
  private readonly inTransaction = new AsyncLocalStorage<EntityManager>();
  private readonly memos = new WeakMap<QueryRunner, Map<symbol, unknown>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // Called from inside a unit: a savepoint of that unit's transaction, not a place in the
    // queue (which waits for that very unit) nor a transaction of its own (which, on PostgreSQL,
    // would wait for the chain lock the unit holds).
    const outer = this.inTransaction.getStore();
    if (outer) return this.nested(outer, work);
    // The caller's async context (request id, logger) stays with its work. (Not
    // AsyncResource.bind, which builds a deprecated property on every call.)
    const context = new AsyncResource('UnitOfWork');
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        work: (manager: EntityManager) =>
          context.runInAsyncScope(() => this.inTransaction.run(manager, () => work(manager))),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.draining) return;
      this.draining = true;
      // After this turn's I/O callbacks: the units other requests queue in them join this batch.
      setImmediate(() => void this.drain());
    });
  }

  /** Whether writes through `manager` commit with a unit of work (on PostgreSQL: any transaction). */
  owns(manager: EntityManager): boolean {
    if (!manager.queryRunner?.isTransactionActive) return false;
    return this.isPostgres || this.inTransaction.getStore() !== undefined;
  }

  /**
   * What the units of `manager`'s transaction may remember for the rest of it (the audit
   * chain's head, say): emptied whenever a unit (or a transaction nested in one) rolls back,
   * since its writes are gone. Undefined outside a unit of work.
   */
  memo(manager: EntityManager): Map<symbol, unknown> | undefined {
    return manager.queryRunner ? this.memos.get(manager.queryRunner) : undefined;
  }

  /** Whether `manager`'s transaction already holds the audit chain's lock (taken first on PostgreSQL). */
  holdsChainLock(manager: EntityManager): boolean {
    return this.isPostgres && this.memo(manager) !== undefined;
  }

  private async nested<T>(
    outer: EntityManager,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await outer.transaction(work);
    } catch (error) {
      this.memo(outer)?.clear();
      throw error;
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.commit(this.pending.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  /** One transaction for the batch; each unit's outcome, or the transaction's error. */
  private async commit(batch: Unit[]): Promise<void> {
    const outcomes: Outcome[] = [];
    let runner: QueryRunner | undefined;
    try {
      await this.dataSource.transaction(async (manager) => {
        runner = manager.queryRunner;
        const memo = new Map<symbol, unknown>();
        if (runner) this.memos.set(runner, memo);
        // On PostgreSQL every unit of work takes the audit chain's lock first. Its units would
        // take it at their first append anyway, but in a batch the later units then write rows
        // while holding it: taken first everywhere, no two transactions (of this instance or
        // another) can each hold what the other waits for.
        if (this.isPostgres) {
          await manager.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
        }
        if (batch.length === 1) {
          outcomes.push({ ok: true, value: await batch[0].work(manager) });
          return;
        }
        for (const unit of batch) {
          // Never released: COMMIT releases them all, and a release is a round trip on
          // PostgreSQL. ROLLBACK TO goes back to the newest savepoint of that name.
          await manager.query('SAVEPOINT unit_of_work');
          try {
            outcomes.push({ ok: true, value: await unit.work(manager) });
          } catch (error) {
            await manager.query('ROLLBACK TO SAVEPOINT unit_of_work');
            memo.clear();
            outcomes.push({ ok: false, error });
            unit.reject(error);
          }
        }
      });
    } catch (error) {
      // The transaction (its COMMIT, or a unit alone in it) failed: nothing of it was kept.
      batch.forEach((unit, index) => {
        if (outcomes[index]?.ok !== false) unit.reject(error);
      });
      return;
    } finally {
      if (runner) this.memos.delete(runner);
    }
    batch.forEach((unit, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) unit.resolve(outcome.value);
    });
  }
}
