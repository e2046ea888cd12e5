// Runs an async job at most once per `minIntervalMs`, coalescing bursts of requests into one run,
// never two runs at once. `runNow()` skips the wait (tests, shutdown) but still serialises.

export class BoundedRunner {
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private running = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly minIntervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Asks for a run; requests arriving before it starts share it. */
  request(): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule();
  }

  /** Runs the job now (after any run in progress) and resolves when it is done; rejects if it fails. */
  runNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = false;
    return this.enqueue();
  }

  /** Cancels scheduled runs and waits for one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = false;
    await this.tail.catch(() => undefined);
  }

  private schedule(): void {
    if (this.timer || this.running > 0 || !this.pending || this.stopped) return;
    const delay = Math.max(0, this.lastStart + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.pending) return;
      this.pending = false;
      this.enqueue().catch(this.onError);
    }, delay);
  }

  private enqueue(): Promise<void> {
    this.running++;
    const run = this.tail.catch(() => undefined).then(async () => {
      this.lastStart = Date.now();
      try {
        await this.job();
      } finally {
        this.running--;
        this.schedule();
      }
    });
    this.tail = run;
    return run;
  }
}
