import { Poller } from './poller.js';

describe('Poller', () => {
  it('never runs twice at once, and stop() waits for the run in progress', async () => {
    let release!: () => void;
    let runs = 0;
    let finished = false;
    const poller = new Poller(
      () => {
        runs++;
        return new Promise<void>((resolve) => {
          release = () => {
            finished = true;
            resolve();
          };
        });
      },
      () => undefined,
    );

    const first = poller.tick();
    await poller.tick(); // returns at once: a run is going
    expect(runs).toBe(1);

    const stopped = poller.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    await first;
    // Once it is over, the next tick runs.
    const next = poller.tick();
    expect(runs).toBe(2);
    release();
    await next;
  });

  it('hands a failure to onError and runs again next time', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const poller = new Poller(
      () => (++runs === 1 ? Promise.reject(new Error('database away')) : Promise.resolve()),
      (error) => errors.push(error),
    );

    await poller.tick();
    await poller.tick();

    expect(runs).toBe(2);
    expect(errors).toEqual([new Error('database away')]);
  });
});
