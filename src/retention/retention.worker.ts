import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { retentionConfig, type RetentionConfig } from '../config/retention.config.js';
import { RETENTION_WORKER_ACTOR, RetentionService } from './retention.service.js';

/** How often the worker asks the clock whether a run is due. */
export const RETENTION_CHECK_MS = 60_000;

/**
 * Purges every table on a schedule: the first run one check after boot (an instance restarted
 * more often than RETENTION_INTERVAL_MINUTES still purges), then once per interval by the
 * injected clock. Instances that come due together take turns (RetentionLock); the deletes are
 * idempotent, so a second run finds nothing left.
 */
@Injectable()
export class RetentionWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private nextRunAt?: number;

  constructor(
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.intervalMs === 0) return;
    this.nextRunAt = this.clock.now().getTime();
    this.timer = setInterval(() => void this.tick(), RETENTION_CHECK_MS);
    // Never keeps the process alive on its own.
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Purges when a run is due; a run still going is not overlapped. */
  async tick(): Promise<void> {
    if (this.running || this.nextRunAt === undefined) return;
    const now = this.clock.now();
    if (now.getTime() < this.nextRunAt) return;
    this.nextRunAt = now.getTime() + this.config.intervalMs;
    this.running = this.retention
      .purgeAll(now, { actor: RETENTION_WORKER_ACTOR, trigger: 'schedule' })
      .then((run) => {
        if (!run) this.logger.log('Retention purge skipped: another instance is running one');
        else if (run.tables.some((table) => table.error))
          this.logger.warn({ run }, 'Retention purge incomplete');
        else this.logger.log({ run }, 'Retention purge done');
      })
      .catch((error: unknown) => this.logger.error({ err: error }, 'Retention purge failed'));
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
