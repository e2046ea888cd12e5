// Per-key exponential backoff as the kubelet's flowcontrol.Backoff: base, doubling, capped, reset after 2×max quiet.
export class Backoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(private readonly baseMs: number, private readonly maxMs: number, private readonly now: () => number = Date.now) {}

  /** True while `eventTime` (e.g. the container's finish) lies within the current backoff window. */
  inBackoffSince(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (this.now() - entry.lastUpdate > 2 * this.maxMs) return false;
    return this.now() - eventTime < entry.delayMs;
  }

  /** Records a restart: first one sets the base delay, later ones double it (capped). */
  next(key: string): void {
    const now = this.now();
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > 2 * this.maxMs) this.entries.set(key, { delayMs: this.baseMs, lastUpdate: now });
    else this.entries.set(key, { delayMs: Math.min(entry.delayMs * 2, this.maxMs), lastUpdate: now });
  }

  delayMs(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Milliseconds until the window that began at eventTime ends (0 when not backing off). */
  remainingMs(key: string, eventTime: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.delayMs - (this.now() - eventTime)) : 0;
  }

  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** A backoff delay as the kubelet words it in CrashLoopBackOff messages ("back-off 1m20s", "10s"). */
export function formatDuration(ms: number): string {
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
  if (ms >= 1000) return `${Math.round(ms / 1000)}s`;
  return `${ms}ms`;
}
