// Shared by every benchmark: percentiles, medians, the readable table, and the final JSON line.

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Prints rows as an aligned table: first row is the header. */
export function printTable(rows: Array<Array<string | number>>, out: (line: string) => void = (l) => console.log(l)): void {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? String(round(c, 2)) : c)));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  cells.forEach((r, ri) => {
    out(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
    if (ri === 0) out(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/** The benchmark's machine-readable result: always the very last line of output. */
export function printResult(result: Record<string, string | number | boolean>): void {
  console.log(JSON.stringify(result));
}

/** High-resolution wall clock in ms, comparable across processes on this machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
