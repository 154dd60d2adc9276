/**
 * Runs `work` every `intervalMs` on an instance, never two runs at once, on a timer that never
 * keeps the process alive on its own. `stop()` waits for a run in progress, so a shutdown does
 * not cut one short. Failures go to `onError`; the next run happens anyway.
 */
export class Poller {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** 0 never starts it: the instance leaves this work to others. */
  start(intervalMs: number): void {
    if (intervalMs === 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run now, unless one is still going. */
  async tick(): Promise<void> {
    if (this.running) return;
    const run = this.work().then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    this.running = run;
    try {
      await run;
    } finally {
      this.running = undefined;
    }
  }
}
