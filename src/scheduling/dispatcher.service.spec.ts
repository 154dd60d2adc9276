import { jest } from '@jest/globals';
import type { DispatchConfig } from '../config/dispatch.config.js';
import { DispatcherService } from './dispatcher.service.js';

/** The poller only: what it claims is specified end to end in test/dispatcher.e2e-spec.ts. */
function dispatcher(intervalMs: number): { service: DispatcherService; polls: () => number } {
  let polls = 0;
  const queue = {
    claimDue: () => {
      polls++;
      return Promise.resolve([]);
    },
  };
  const service = new DispatcherService(
    { intervalMs, batchSize: 10, maxLateMs: 60_000 } satisfies DispatchConfig,
    queue as never,
    {} as never,
    {} as never,
    { recordDispatch: () => undefined } as never,
    { now: () => new Date('2030-01-16T13:00:00Z') },
  );
  return { service, polls: () => polls };
}

describe('DispatcherService poller', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('polls every DISPATCH_INTERVAL_MS, on a timer that never holds the process open', async () => {
    const { service, polls } = dispatcher(5000);
    const started = jest.spyOn(globalThis, 'setInterval');

    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(15_000);

    expect(polls()).toBe(3);
    const timer = started.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await service.onApplicationShutdown();
  });

  it('stops polling on shutdown', async () => {
    const { service, polls } = dispatcher(5000);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5000);
    await service.onApplicationShutdown();

    await jest.advanceTimersByTimeAsync(20_000);

    expect(polls()).toBe(1);
  });

  it('never polls with DISPATCH_INTERVAL_MS=0', async () => {
    const { service, polls } = dispatcher(0);
    service.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(60_000);

    expect(polls()).toBe(0);
  });
});
