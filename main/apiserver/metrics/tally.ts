// Figures that prom-client reads when /metrics is scraped, not as they change. prom-client checks and hashes the
// labels object on every inc(), dec() and set() (its labels() children as well), a microsecond or more a call, and
// the API server made several such calls per request: figures counted on the request path are kept here instead,
// one cell per label set found by a single string key, and handed to prom-client (reset, then set) by its collect().
// A histogram's buckets are counted the same way and exposed by a prom-client Histogram that reads them (below).
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

export type Labels<L extends string> = Record<L, string>;

/** Each label set and its value, as a collect() reads them. */
type Read = () => Iterable<readonly [Record<string, string>, number]>;

/** A counter whose values are read from a source at scrape time (reset, then set). */
export function readCounter(registry: Registry, name: string, help: string, labelNames: readonly string[], read: Read): void {
  new Counter({
    name, help, labelNames, registers: [registry],
    collect() {
      this.reset();
      for (const [labels, v] of read()) this.inc(labels, v);
    },
  });
}

/** A gauge whose values are read from a source at scrape time (reset, then set). */
export function readGauge(registry: Registry, name: string, help: string, labelNames: readonly string[], read: Read): void {
  new Gauge({
    name, help, labelNames, registers: [registry],
    collect() {
      this.reset();
      for (const [labels, v] of read()) this.set(labels, v);
    },
  });
}

/**
 * The key of a label set: its values joined by NUL. A value with a NUL in it (a request path can carry one) makes the
 * key the values' JSON instead, which has no raw NUL, so two different sets never share a key.
 */
export function labelKey(values: readonly string[]): string {
  let key = '';
  for (const v of values) {
    if (v.includes('\0')) return JSON.stringify(values);
    key += `${v}\0`;
  }
  return key;
}

/** Something kept per label set (a cell, a labels object for a histogram), made the first time its set is seen. */
export class LabelSets<L extends string, T> {
  private readonly byKey = new Map<string, T>();

  constructor(readonly labelNames: readonly L[], private readonly make: (labels: Labels<L>) => T) {}

  /** The entry of these label values, given in labelNames' order. */
  get(values: readonly string[]): T {
    const key = labelKey(values);
    let t = this.byKey.get(key);
    if (t === undefined) {
      if (values.length !== this.labelNames.length) throw new Error(`${values.length} label values for ${this.labelNames.length} labels (${this.labelNames.join(', ')})`);
      const labels = {} as Labels<L>;
      this.labelNames.forEach((n, i) => (labels[n] = values[i]));
      t = this.make(Object.freeze(labels));
      this.byKey.set(key, t);
    }
    return t;
  }

  /** Every entry, in the order their sets were first seen. */
  values(): IterableIterator<T> {
    return this.byKey.values();
  }
}

/** One label set's figure: add to `value` directly. */
export interface TallyCell<L extends string> {
  readonly labels: Readonly<Labels<L>>;
  value: number;
}

export type Tally<L extends string> = LabelSets<L, TallyCell<L>>;

function tally<L extends string>(labelNames: readonly L[]): Tally<L> {
  return new LabelSets(labelNames, (labels) => ({ labels, value: 0 }));
}

function* cells<L extends string>(t: Tally<L>): Generator<readonly [Record<string, string>, number]> {
  for (const c of t.values()) yield [c.labels, c.value];
}

/** A counter of `registry` whose label sets are counted in the returned tally. */
export function tallyCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Tally<L> {
  const t = tally(labelNames);
  readCounter(registry, name, help, labelNames, () => cells(t));
  return t;
}

/** A gauge of `registry` whose label sets are kept in the returned tally. */
export function tallyGauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Tally<L> {
  const t = tally(labelNames);
  readGauge(registry, name, help, labelNames, () => cells(t));
  return t;
}

/** One label set of a tallied histogram: the observations in each bucket (not cumulative; the last is past every bound). */
export interface HistogramCell<L extends string> {
  readonly labels: Readonly<Labels<L>>;
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Counts `value` into the cell of a histogram with these ascending bounds (a bucket holds values ≤ its bound). */
export function observeInto<L extends string>(cell: HistogramCell<L>, bounds: readonly number[], value: number): void {
  let i = 0;
  while (i < bounds.length && value > bounds[i]) i++;
  cell.counts[i]++;
  cell.sum += value;
  cell.count++;
}

/** A sample as prom-client's registry formats it: its own labels (le) first, then the label set's. */
interface HistogramSample { labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }

/**
 * A prom-client histogram whose samples are read from cells: the registry formats a metric from what its
 * getForPromString() returns (and get(), for JSON, from the same), here the cells' cumulative buckets, +Inf, sum and
 * count in the shape prom-client's own histogram gives them. Its observe() is not used: observe into the cells.
 */
class CellHistogram<L extends string> extends Histogram<L> {
  constructor(
    registry: Registry, private readonly family: string, private readonly description: string, labelNames: readonly L[],
    private readonly bounds: readonly number[], private readonly cells: () => Iterable<HistogramCell<L>>,
  ) {
    super({ name: family, help: description, labelNames, buckets: [...bounds], registers: [registry] });
  }

  getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: HistogramSample[] }> {
    const name = this.family;
    const values: HistogramSample[] = [];
    for (const c of this.cells()) {
      if (c.count === 0) continue; // a label set appears once observed, as in prom-client's own histogram
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += c.counts[i];
        values.push({ labels: { le }, sharedLabels: c.labels, value: acc, metricName: `${name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: c.labels, value: c.count, metricName: `${name}_bucket` });
      values.push({ labels: {}, sharedLabels: c.labels, value: c.sum, metricName: `${name}_sum` });
      values.push({ labels: {}, sharedLabels: c.labels, value: c.count, metricName: `${name}_count` });
    }
    return Promise.resolve({ name, help: this.description, type: 'histogram', aggregator: 'sum', values });
  }
}

/** A histogram of `registry` with these bucket bounds, observed into the returned cells (observeInto). */
export function tallyHistogram<L extends string>(
  registry: Registry, name: string, help: string, labelNames: readonly L[], bounds: readonly number[],
): LabelSets<L, HistogramCell<L>> {
  const sets = new LabelSets(labelNames, (labels): HistogramCell<L> => ({ labels, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }));
  new CellHistogram(registry, name, help, labelNames, bounds, () => sets.values());
  return sets;
}
