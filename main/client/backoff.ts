// Jittered exponential backoff (client-go's wait.Backoff with Jitter): each consecutive failure
// doubles the delay up to a cap; each delay is drawn from [d/2, d) so that many clients failing at
// once do not retry in step. reset() after a success.

export class Backoff {
  private failures = 0;

  constructor(private readonly baseMs: number, private readonly maxMs: number) {}

  /** The delay before the next attempt; counts a failure. */
  next(): number {
    const d = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return jittered(d);
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

/** A delay drawn from [d/2, d). */
export function jittered(d: number): number {
  return d / 2 + Math.random() * (d / 2);
}

/** apimachinery's wait.Jitter: a delay drawn from [d, d + maxFactor·d) (maxFactor ≤ 0: 1). */
export function jitter(d: number, maxFactor: number): number {
  return d + Math.random() * (maxFactor > 0 ? maxFactor : 1) * d;
}
