// Figures that prom-client reads when /metrics is scraped, not as they change. prom-client checks and hashes the
// labels object on every inc(), dec() and set() (its labels() children as well), a microsecond or more a call, and
// the API server made several such calls per request: figures counted on the request path are kept here instead,
// one cell per label set found by a single string key, and handed to prom-client (reset, then set) by its collect().
import { Counter, Gauge } from 'prom-client';
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
