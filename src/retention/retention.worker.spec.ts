import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { RetentionConfig } from '../config/retention.config.js';
import type { PurgeRequest, RetentionRun, RetentionService } from './retention.service.js';
import { RETENTION_CHECK_MS, RetentionWorker } from './retention.worker.js';

const BOOT = new Date('2030-01-16T13:00:00Z');
const HOUR_MS = 3_600_000;

/** The schedule only: what a run purges is specified in test/retention.suite.ts. */
function worker(intervalMs: number) {
  const clock = { current: BOOT, now: () => clock.current };
  const runs: { now: Date; request: PurgeRequest }[] = [];
  const retention = {
    purgeAll: (now: Date, request: PurgeRequest): Promise<RetentionRun | null> => {
      runs.push({ now, request });
      return Promise.resolve({ ...request, at: now.toISOString(), tables: [] });
    },
  };
  const service = new RetentionWorker(
    { intervalMs, days: {} } as RetentionConfig,
    retention as unknown as RetentionService,
    clock,
  );
  return { service, clock, runs };
}

describe('RetentionWorker', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('purges at the first check after boot, as the worker, on a timer that never holds the process', async () => {
    const { service, runs } = worker(24 * HOUR_MS);
    const started = jest.spyOn(globalThis, 'setInterval');

    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS - 1);
    expect(runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(runs).toEqual([
      { now: BOOT, request: { actor: 'retention-worker', trigger: 'schedule' } },
    ]);
    const timer = started.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await service.onApplicationShutdown();
  });

  it('purges again only once RETENTION_INTERVAL_MINUTES has passed by the clock', async () => {
    const { service, clock, runs } = worker(6 * HOUR_MS);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS);

    clock.current = new Date(BOOT.getTime() + 6 * HOUR_MS - 1);
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS * 3);
    expect(runs).toHaveLength(1);

    clock.current = new Date(BOOT.getTime() + 6 * HOUR_MS);
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS);
    expect(runs.map((run) => run.now)).toEqual([BOOT, clock.current]);
    await service.onApplicationShutdown();
  });

  it('stops on shutdown', async () => {
    const { service, clock, runs } = worker(HOUR_MS);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS);
    await service.onApplicationShutdown();

    clock.current = new Date(BOOT.getTime() + 10 * HOUR_MS);
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS * 5);

    expect(runs).toHaveLength(1);
  });

  it('never purges with RETENTION_INTERVAL_MINUTES=0', async () => {
    const { service, clock, runs } = worker(0);
    service.onApplicationBootstrap();
    clock.current = new Date(BOOT.getTime() + 100 * HOUR_MS);
    await jest.advanceTimersByTimeAsync(RETENTION_CHECK_MS * 5);
    await service.tick();

    expect(runs).toEqual([]);
  });
});
