// Go's time.ParseDuration ("1h30m", "90s", "1.5h", "-2m") with its error messages, in milliseconds:
// what a CronJob's `@every <duration>` schedule is read with (robfig/cron, as Kubernetes parses it).

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};
/** The largest time.Duration (int64 nanoseconds). */
const MAX_NS = 9223372036854775807n;

const quote = (s: string): string => JSON.stringify(s);

/** The duration in nanoseconds (a bigint: Go's int64), or throws Go's error. */
export function parseGoDurationNs(orig: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${quote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, intPart, frac] = m;
    if (!/^[.\d]/.test(s) || (intPart === '' && (frac === undefined || frac === ''))) throw invalid();
    s = s.slice(whole.length);
    const unitLen = /^[^.\d]*/.exec(s)![0].length;
    const unit = s.slice(0, unitLen);
    s = s.slice(unitLen);
    if (unit === '') throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${quote(unit)} in duration ${quote(orig)}`);
    let v = BigInt(intPart || '0') * BigInt(scale);
    if (frac) v += BigInt(Math.floor(Number(`0.${frac}`) * scale));
    total += v;
    if (total > MAX_NS + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}

/** The duration in milliseconds (fractions of a millisecond kept). */
export function parseGoDuration(orig: string): number {
  return Number(parseGoDurationNs(orig)) / 1e6;
}

/** time.Duration's String() of a whole number of milliseconds: "0s", "313ms", "1.594s", "2m5.1s", "1h0m0s". */
export function formatGoDurationMs(totalMs: number): string {
  const ms = Math.max(0, Math.trunc(totalMs));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const secs = `${Math.floor(rest / 1000)}${rest % 1000 ? `.${String(rest % 1000).padStart(3, '0').replace(/0+$/, '')}` : ''}s`;
  if (h) return `${h}h${m}m${secs}`;
  return m ? `${m}m${secs}` : secs;
}
