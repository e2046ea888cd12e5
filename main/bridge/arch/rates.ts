// Rates and deltas of counters between two snapshots: each sampler keeps the last value of every
// counter it reads and the time it read them.

export class CounterRates {
  private before = new Map<string, number>();
  private now = new Map<string, number>();
  private beforeAt = 0;
  private nowAt = 0;

  /** Starts a new reading at `at` (ms); the previous one becomes the base of deltas and rates. */
  begin(at: number): void {
    if (this.nowAt) {
      this.before = this.now;
      this.beforeAt = this.nowAt;
    }
    this.now = new Map();
    this.nowAt = at;
  }

  /**
   * The increase of counter `key` since the previous reading (its value after a reset); null on the first reading.
   * `newIsZero`: a key the previous reading did not have counted from 0 (a label set that appeared since, such as a verb).
   */
  delta(key: string, value: number, newIsZero = false): number | null {
    this.now.set(key, value);
    if (!this.beforeAt) return null;
    const prev = this.before.get(key) ?? (newIsZero ? 0 : undefined);
    if (prev === undefined) return null;
    return value >= prev ? value - prev : value;
  }

  /** The delta per second; null on the first reading. */
  rate(key: string, value: number, newIsZero = false): number | null {
    const d = this.delta(key, value, newIsZero);
    const seconds = (this.nowAt - this.beforeAt) / 1000;
    return d === null || seconds <= 0 ? null : d / seconds;
  }
}
