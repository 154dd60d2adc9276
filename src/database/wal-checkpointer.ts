import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';

/** How often the worker copies the WAL's new commits into the database file. */
export const CHECKPOINT_EVERY_MS = 200;
/**
 * The main connection's own automatic checkpoint, kept as a backstop (for a stopped worker, or
 * writes that never pause long enough for the WAL to start over): 16,000 pages of 4 KiB.
 */
export const BACKSTOP_PAGES = 16_000;
const SQLITE_DEFAULT_PAGES = 1000;

// Plain CommonJS, so it runs the same from src under Jest and from dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
// Never wait for a lock: a checkpoint that finds one busy is simply tried again.
db.pragma('busy_timeout = 0');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    if (error.code !== 'SQLITE_BUSY') parentPort.postMessage({ failed: error.code ?? 'error' });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

interface SqliteConnection {
  pragma(sql: string): unknown;
}

/**
 * Runs SQLite's WAL checkpoints on a worker thread with its own connection. By default SQLite
 * checkpoints on the connection that commits, here the event loop: every ~1,000 pages of WAL it
 * copies them into the database file and fsyncs both files, and every request waits for it
 * (about 10 ms a time on this kind of disk, every few dozen commits at 200 texts a second).
 * Commits themselves stay on the event loop and never fsync (WAL, synchronous = NORMAL).
 */
@Injectable()
export class WalCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker: Worker | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: DatabaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.type !== 'sqlite' || this.config.sqlitePath === ':memory:') return;
    // Not awaited: the service answers while the worker starts, checkpointing itself till then.
    this.starting = this.start().catch((error: unknown) => {
      this.logger.warn(`WAL checkpoints stay on the event loop: ${(error as Error).message}`);
    });
  }

  /** Whether a worker is checkpointing now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.starting;
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.removeAllListeners('exit');
    // Referenced again, so the process lives until the worker has closed its connection.
    worker.ref();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await worker.terminate();
  }

  private async start(): Promise<void> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: this.config.sqlitePath,
        everyMs: CHECKPOINT_EVERY_MS,
      },
      // One connection and a timer: a small heap is plenty.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
    });
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => {
        worker.off('message', ready);
        reject(error);
      };
      const exited = (code: number) => failed(new Error(`the worker exited with code ${code}`));
      const ready = () => {
        worker.off('error', failed);
        worker.off('exit', exited);
        resolve();
      };
      worker.once('message', ready);
      worker.once('error', failed);
      worker.once('exit', exited);
    });
    worker.on('message', (message: { failed?: string }) => {
      if (message.failed) this.logger.warn(`WAL checkpoint failed: ${message.failed}`);
    });
    worker.on('error', (error) => this.logger.warn(`WAL checkpointer stopped: ${error.message}`));
    worker.on('exit', () => {
      this.worker = undefined;
      this.setAutocheckpoint(SQLITE_DEFAULT_PAGES);
    });
    this.worker = worker;
    this.setAutocheckpoint(BACKSTOP_PAGES);
  }

  /** The main connection's own automatic checkpoint, every `pages` pages of WAL. */
  private setAutocheckpoint(pages: number): void {
    if (!this.dataSource.isInitialized) return;
    const { databaseConnection } = this.dataSource.driver as unknown as {
      databaseConnection: SqliteConnection;
    };
    databaseConnection.pragma(`wal_autocheckpoint = ${pages}`);
  }
}
