import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { BACKSTOP_PAGES, WalCheckpointer } from '../src/database/wal-checkpointer.js';
import { createTestApp } from './support/test-app.js';

/** SQLite file databases: WAL checkpoints run on a worker thread, not on the event loop. */
describe('WAL checkpoints on a worker thread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-sms-gateway-checkpoint-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitForWorker(checkpointer: WalCheckpointer): Promise<void> {
    for (let waited = 0; !checkpointer.running && waited < 10_000; waited += 20) await sleep(20);
    expect(checkpointer.running).toBe(true);
  }

  /** Rows of the probe table in the database file alone: only what a checkpoint copied there. */
  function rowsInDatabaseFile(path: string): number {
    const copy = join(dir, 'copy.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
    copyFileSync(path, copy);
    const db = new Database(copy);
    try {
      return (db.prepare('SELECT count(*) AS n FROM checkpoint_probe').get() as { n: number }).n;
    } catch {
      return 0; // the table itself is still only in the WAL
    } finally {
      db.close();
    }
  }

  it('copies committed writes into the database file while the event loop only commits', async () => {
    const path = join(dir, 'gateway.sqlite');
    const app: INestApplication = await createTestApp({ env: { SQLITE_PATH: path } });
    try {
      await waitForWorker(app.get(WalCheckpointer));
      const dataSource = app.get(DataSource);
      // The main connection checkpoints itself only past the backstop, far beyond these writes.
      expect(await dataSource.query('PRAGMA wal_autocheckpoint')).toEqual([
        { wal_autocheckpoint: BACKSTOP_PAGES },
      ]);
      await dataSource.query('CREATE TABLE checkpoint_probe (n INTEGER NOT NULL)');
      for (let n = 0; n < 25; n += 1) {
        await dataSource.query('INSERT INTO checkpoint_probe (n) VALUES (?)', [n]);
      }

      let rows = rowsInDatabaseFile(path);
      for (let waited = 0; rows < 25 && waited < 10_000; waited += 50) {
        await sleep(50);
        rows = rowsInDatabaseFile(path);
      }
      expect(rows).toBe(25);
    } finally {
      await app.close();
    }
    // Both connections closed: SQLite checkpointed the rest and removed the WAL.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('leaves an in-memory database to SQLite alone', async () => {
    const app = await createTestApp({ env: { SQLITE_PATH: ':memory:' } });
    try {
      await sleep(100);
      expect(app.get(WalCheckpointer).running).toBe(false);
    } finally {
      await app.close();
    }
  });
});
