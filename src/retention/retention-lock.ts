import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The bytes of "retentio", as the audit chain's lock key is the bytes of "audit_ch". */
export const RETENTION_LOCK_KEY = '8243122671965202799';

/**
 * Keeps two instances from purging at the same moment. Purges are idempotent, so this only
 * spares the database the double work: on PostgreSQL a session advisory lock, tried without
 * waiting, on a connection of its own for the whole run; SQLite serves one instance, whose
 * worker never overlaps its own runs.
 */
@Injectable()
export class RetentionLock {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The work's answer, or null (without running it) while another instance holds the lock. */
  async runExclusive<T>(work: () => Promise<T>): Promise<T | null> {
    if (this.dataSource.options.type !== 'postgres') return work();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS "locked"', [
        RETENTION_LOCK_KEY,
      ])) as { locked: boolean }[];
      if (!row?.locked) return null;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }
}
