// Figures tallied on the request path and read by prom-client at scrape time: label sets keyed without collisions,
// one entry per set, and the exposition a Prometheus parser reads (counters, gauges, their label sets).
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { LabelSets, labelKey, tallyCounter, tallyGauge } from '../../../main/apiserver/metrics/tally';
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
