// Reading figures out of a parsed Prometheus page: sums of a metric's samples by label match,
// and quantiles of a histogram (as PromQL's histogram_quantile, over the difference of two pages).
import type { PromFamily, PromSample } from '../../protocol/prom-text';

export class PromIndex {
  private readonly byName = new Map<string, PromSample[]>();

  /** Names declared by the page (a family's, and a histogram's or summary's sample names), samples or not. */
  private readonly declared = new Set<string>();

  constructor(families: PromFamily[]) {
    for (const f of families) {
      this.declared.add(f.name);
      if (f.type === 'histogram' || f.type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) this.declared.add(f.name + suffix);
      for (const s of f.samples) {
        const list = this.byName.get(s.name);
        if (list) list.push(s);
        else this.byName.set(s.name, [s]);
      }
    }
  }

  /** The page declares the metric (a labelled one may have no samples yet). */
  has(name: string): boolean {
    return this.declared.has(name) || this.byName.has(name);
  }

  samples(name: string): PromSample[] {
    return this.byName.get(name) ?? [];
  }

  /** The sum of the samples whose labels include `match`; null when the page does not declare the metric. */
  sum(name: string, match: Record<string, string> = {}): number | null {
    if (!this.has(name)) return null;
    const list = this.byName.get(name) ?? [];
    let total = 0;
    for (const s of list) if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
    return total;
  }

  /** Per value of `label`: the sum of the samples with it. */
  sumBy(name: string, label: string, match: Record<string, string> = {}): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.samples(name)) {
      if (!Object.entries(match).every(([k, v]) => s.labels[k] === v)) continue;
      const key = s.labels[label] ?? '';
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
    return out;
  }

  /** A histogram's cumulative buckets (summed over its label sets): upper bound → count, ascending. */
  buckets(name: string, match: Record<string, string> = {}): Array<[number, number]> {
    const byLe = this.sumBy(`${name}_bucket`, 'le', match);
    return [...byLe].map(([le, n]): [number, number] => [le === '+Inf' ? Infinity : Number(le), n]).sort((a, b) => a[0] - b[0]);
  }
}

/** The q-quantile of cumulative buckets, interpolated linearly inside the bucket (histogram_quantile); null without observations. */
export function bucketQuantile(q: number, buckets: Array<[number, number]>): number | null {
  if (!buckets.length) return null;
  const total = buckets[buckets.length - 1][1];
  if (total <= 0) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      if (count === prevCount) return bound;
      return prevBound + (bound - prevBound) * ((rank - prevCount) / (count - prevCount));
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

/** Buckets `now` minus `before` (the observations between two pages); `now` itself when the counts went back (a restart). */
export function bucketDelta(now: Array<[number, number]>, before: Array<[number, number]> | undefined): Array<[number, number]> {
  if (!before) return now;
  const old = new Map(before);
  const out = now.map(([b, n]): [number, number] => [b, n - (old.get(b) ?? 0)]);
  return out.some(([, n]) => n < 0) ? now : out;
}
