// Applies tailLines / since / limitBytes to log entries and renders them (pure).
import { formatEntry, type LogEntry } from './cri-log';
import type { LogOptions } from './log-options';

/** Renders the entries already in the file: the last tailLines of them, those since sinceMs. */
export function selectInitial(entries: LogEntry[], opts: LogOptions): string[] {
  const tail = opts.tailLines === undefined ? entries : opts.tailLines === 0 ? [] : entries.slice(-opts.tailLines);
  return tail.filter((e) => passesSince(e, opts)).map((e) => formatEntry(e, opts.timestamps));
}

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
