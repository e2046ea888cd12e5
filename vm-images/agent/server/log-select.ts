// The since and limitBytes parts of the log options (tailLines is log-tail.ts).
import type { LogEntry } from './cri-log';
import type { LogOptions } from './log-options';

export function passesSince(e: LogEntry, opts: LogOptions): boolean {
  return opts.sinceMs === undefined || Number.isNaN(e.ms) || e.ms >= opts.sinceMs;
}

/** Counts output bytes against limitBytes; cut() returns the part that may still be written. */
export class ByteLimit {
  private written = 0;
  constructor(private readonly limit: number | undefined) {}

  get reached(): boolean { return this.limit !== undefined && this.written >= this.limit; }

  cut(text: string): Buffer {
    const buf = Buffer.from(text);
    if (this.limit === undefined) { this.written += buf.length; return buf; }
    const room = Math.max(0, this.limit - this.written);
    const out = buf.length > room ? buf.subarray(0, room) : buf;
    this.written += out.length;
    return out;
  }
}
