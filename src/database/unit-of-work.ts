import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one place transactions open. Work that changes a row and appends its audit event runs
 * here, so both commit or neither does:
 *
 *   await unitOfWork.run(async (manager) => {
 *     await messages.settle(manager, id, settlement);
 *     await audit.append(event, manager);
 *   });
 *
 * On PostgreSQL it is a plain READ COMMITTED transaction. TypeORM runs every better-sqlite3
 * transaction on one shared connection, where two that overlap in time would nest as
 * savepoints of each other, so on SQLite they are queued, one at a time.
 */
@Injectable()
export class UnitOfWork {
  private readonly isPostgres: boolean;
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private readonly inQueuedTransaction = new AsyncLocalStorage<true>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres || this.inQueuedTransaction.getStore()) {
      return this.dataSource.transaction(work);
    }
    const run = this.sqliteQueue.then(() =>
      this.inQueuedTransaction.run(true, () => this.dataSource.transaction(work)),
    );
    this.sqliteQueue = run.catch(() => undefined);
    return run;
  }

  /** Whether writes through `manager` commit with a unit of work (on PostgreSQL: any transaction). */
  owns(manager: EntityManager): boolean {
    if (!manager.queryRunner?.isTransactionActive) return false;
    return this.isPostgres || this.inQueuedTransaction.getStore() === true;
  }
}
