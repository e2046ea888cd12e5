// When a pod's volume setup failure is reported again (the FailedMount event): the kubelet's volume
// operations retry with exponential backoff (500 ms doubling to 2m2s) and every failed attempt records
// the event, which the recorder folds into one Event with a growing count. A new message is reported at once.
const INITIAL_MS = 500;
const MAX_MS = 122_000;

export class MountFailures {
  private last?: { message: string; at: number; delayMs: number };

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether this failure is to be reported now (first seen, or its retry came due). */
  due(message: string): boolean {
    const now = this.now();
    if (!this.last || this.last.message !== message) {
      this.last = { message, at: now, delayMs: INITIAL_MS };
      return true;
    }
    if (now - this.last.at < this.last.delayMs) return false;
    this.last = { message, at: now, delayMs: Math.min(this.last.delayMs * 2, MAX_MS) };
    return true;
  }

  clear(): void {
    this.last = undefined;
  }
}
