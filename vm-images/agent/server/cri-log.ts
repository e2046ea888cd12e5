// CRI container log format: `<RFC3339Nano> <stdout|stderr> <P|F> <msg>` per line; a long line is
// split into P chunks ended by an F chunk. Pure functions: parse, join partial chunks, format as the kubelet does.

export type LogStream = 'stdout' | 'stderr';

export interface CriLogLine {
  /** The timestamp as written by the runtime. */
  time: string;
  /** Milliseconds since the epoch (NaN when the timestamp is not parseable). */
  ms: number;
  stream: LogStream;
  partial: boolean;
  msg: string;
}

/** One whole log entry: P chunks joined with their F chunk. */
export interface LogEntry {
  time: string;
  ms: number;
  stream: LogStream;
  msg: string;
}

export function parseCriLine(line: string): CriLogLine | undefined {
  const a = line.indexOf(' ');
  if (a <= 0) return undefined;
  const b = line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(' ', b + 1);
  // A line may end right after the tag (an empty message).
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  if (tag !== 'P' && tag !== 'F') return undefined;
  const time = line.slice(0, a);
  return { time, ms: Date.parse(time), stream, partial: tag === 'P', msg: c < 0 ? '' : line.slice(c + 1) };
}

/** Joins P chunks of the same stream until their F chunk. */
export class LogAssembler {
  private pending = new Map<LogStream, { time: string; ms: number; parts: string[] }>();

  push(line: CriLogLine): LogEntry | undefined {
    const p = this.pending.get(line.stream);
    if (line.partial) {
      if (p) p.parts.push(line.msg);
      else this.pending.set(line.stream, { time: line.time, ms: line.ms, parts: [line.msg] });
      return undefined;
    }
    if (!p) return { time: line.time, ms: line.ms, stream: line.stream, msg: line.msg };
    this.pending.delete(line.stream);
    return { time: p.time, ms: p.ms, stream: line.stream, msg: p.parts.join('') + line.msg };
  }
}

/** Splits text into complete lines; the unterminated rest is returned for the next read. */
export function splitLines(carry: string, chunk: string): { lines: string[]; rest: string } {
  const text = carry + chunk;
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts, rest };
}

/** Parses whole CRI log text into entries (malformed lines are skipped, as the kubelet does). */
export function parseCriLog(text: string): LogEntry[] {
  const asm = new LogAssembler();
  const out: LogEntry[] = [];
  for (const l of text.split('\n')) {
    if (!l) continue;
    const parsed = parseCriLine(l);
    if (!parsed) continue;
    const e = asm.push(parsed);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The kubelet's output timestamp: RFC3339 with exactly nine fractional digits (RFC3339NanoFixed),
 * keeping the runtime's zone.
 */
export function fixedNanoTimestamp(time: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (!m) return time;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}${m[3]}`;
}

export function formatEntry(e: LogEntry, timestamps: boolean): string {
  return timestamps ? `${fixedNanoTimestamp(e.time)} ${e.msg}\n` : `${e.msg}\n`;
}
