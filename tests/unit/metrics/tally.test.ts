// Figures tallied on the request path and read by prom-client at scrape time: label sets keyed without collisions,
// one entry per set, and the exposition a Prometheus parser reads (counters, gauges, histograms, their label sets).
import { describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { LabelSets, labelKey, observeInto, tallyCounter, tallyGauge, tallyHistogram } from '../../../main/apiserver/metrics/tally';
import { parsePromText, type PromFamily } from '../../../main/protocol/prom-text';

function family(families: PromFamily[], name: string): PromFamily {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name}`);
  return f;
}

describe('labelKey', () => {
  it('tells apart label sets whose values join to the same text', () => {
    expect(labelKey(['a', 'b'])).not.toBe(labelKey(['ab', '']));
    expect(labelKey(['a\0', 'b'])).not.toBe(labelKey(['a', '\0b']));
    expect(labelKey(['a\0b', ''])).not.toBe(labelKey(['a', 'b']));
    expect(labelKey(['x', 'y'])).toBe(labelKey(['x', 'y']));
  });
});

describe('LabelSets', () => {
  it('makes one entry per label set, with its labels in the label names\' order', () => {
    let made = 0;
    const sets = new LabelSets(['verb', 'code'] as const, (labels) => ({ labels, n: ++made }));
    const a = sets.get(['GET', '200']);
    expect(sets.get(['GET', '200'])).toBe(a);
    expect(sets.get(['GET', '404'])).not.toBe(a);
    expect(made).toBe(2);
    expect(Object.entries(a.labels)).toEqual([['verb', 'GET'], ['code', '200']]);
    expect([...sets.values()].map((e) => e.n)).toEqual([1, 2]);
  });

  it('refuses values that do not match its label names', () => {
    const sets = new LabelSets(['verb', 'code'] as const, (labels) => labels);
    expect(() => sets.get(['GET'])).toThrow(/1 label values for 2 labels/);
  });
});

describe('tallied counters and gauges', () => {
  it('are exposed with their values when scraped, and move between scrapes', async () => {
    const registry = new Registry();
    const requests = tallyCounter(registry, 'test_requests_total', 'Requests.', ['verb', 'code']);
    const inflight = tallyGauge(registry, 'test_inflight', 'In flight.', ['kind']);
    requests.get(['GET', '200']).value += 3;
    requests.get(['POST', '201']).value++;
    const busy = inflight.get(['readOnly']);
    busy.value += 2;
    let f = parsePromText(await registry.metrics());
    expect(family(f, 'test_requests_total').type).toBe('counter');
    expect(family(f, 'test_requests_total').samples).toEqual([
      { name: 'test_requests_total', labels: { verb: 'GET', code: '200' }, value: 3 },
      { name: 'test_requests_total', labels: { verb: 'POST', code: '201' }, value: 1 },
    ]);
    expect(family(f, 'test_inflight').type).toBe('gauge');
    expect(family(f, 'test_inflight').samples).toEqual([{ name: 'test_inflight', labels: { kind: 'readOnly' }, value: 2 }]);
    requests.get(['GET', '200']).value++;
    busy.value -= 2;
    f = parsePromText(await registry.metrics());
    expect(family(f, 'test_requests_total').samples[0].value).toBe(4);
    expect(family(f, 'test_inflight').samples[0].value).toBe(0);
  });
});

describe('tallied histograms', () => {
  it('are exposed as prom-client\'s own: cumulative buckets (a bound holds values equal to it), +Inf, sum and count', async () => {
    const registry = new Registry();
    const bounds = [0.1, 1, 10];
    const latency = tallyHistogram(registry, 'test_seconds', 'Latency.', ['verb'], bounds);
    const own = new Histogram({ name: 'own_seconds', help: 'Latency.', labelNames: ['verb'], buckets: bounds, registers: [registry] });
    const get = latency.get(['GET']);
    latency.get(['WATCH']); // never observed: not exposed
    for (const v of [0.05, 0.1, 0.5, 1, 20]) {
      observeInto(get, bounds, v);
      own.observe({ verb: 'GET' }, v);
    }
    const text = await registry.metrics();
    const f = parsePromText(text);
    const mine = family(f, 'test_seconds');
    expect(mine.type).toBe('histogram');
    expect(mine.samples.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['test_seconds_bucket', '0.1', 2], ['test_seconds_bucket', '1', 4], ['test_seconds_bucket', '10', 4], ['test_seconds_bucket', '+Inf', 5],
      ['test_seconds_sum', undefined, 21.65], ['test_seconds_count', undefined, 5],
    ]);
    // Line for line what prom-client's histogram writes for the same observations.
    const lines = (name: string) => text.split('\n').filter((l) => l.startsWith(name)).map((l) => l.slice(name.length));
    expect(lines('test_seconds')).toEqual(lines('own_seconds'));
    expect(lines('test_seconds').length).toBe(6);
    // The JSON form (getMetricsAsJSON) has the label set's labels in each value's labels.
    const json = (await registry.getMetricsAsJSON()).find((m) => m.name === 'test_seconds');
    expect(json?.values[0]).toMatchObject({ labels: { le: 0.1, verb: 'GET' }, value: 2, metricName: 'test_seconds_bucket' });
  });
});
