// The strict Prometheus text parser: prom-client's own output parses to the same families and values,
// and malformed pages are refused with the line that is wrong.
import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parsePromText, PromParseError } from '../../../main/protocol/prom-text';

describe('parsePromText', () => {
  it('reads what prom-client writes: types, help, labels with escapes, histogram samples', async () => {
    const r = new Registry();
    new Counter({ name: 'req_total', help: 'Requests.\nSecond line', labelNames: ['verb', 'path'], registers: [r] }).inc({ verb: 'GET', path: 'a"b\\c\nd' }, 3);
    new Gauge({ name: 'depth', help: 'Depth', registers: [r] }).set(-2.5);
    const h = new Histogram({ name: 'lat_seconds', help: 'Latency', buckets: [0.1, 1], registers: [r] });
    h.observe(0.05);
    h.observe(5);
    const families = parsePromText(await r.metrics());
    expect(families.map((f) => [f.name, f.type])).toEqual([['req_total', 'counter'], ['depth', 'gauge'], ['lat_seconds', 'histogram']]);
    expect(families[0].help).toBe('Requests.\nSecond line');
    expect(families[0].samples).toEqual([{ name: 'req_total', labels: { verb: 'GET', path: 'a"b\\c\nd' }, value: 3 }]);
    expect(families[1].samples[0].value).toBe(-2.5);
    const lat = families[2].samples;
    expect(lat.filter((s) => s.name === 'lat_seconds_bucket').map((s) => [s.labels.le, s.value])).toEqual([['0.1', 1], ['1', 1], ['+Inf', 2]]);
    expect(lat.find((s) => s.name === 'lat_seconds_count')?.value).toBe(2);
    expect(lat.find((s) => s.name === 'lat_seconds_sum')?.value).toBeCloseTo(5.05);
  });

  it('accepts timestamps, NaN and infinities, plain comments and samples without TYPE', () => {
    const f = parsePromText('# a comment\nup 1 1700000000000\nx{a="1"} NaN\ny -Inf\nz +Inf\n');
    expect(f.map((x) => [x.name, x.type])).toEqual([['up', 'untyped'], ['x', 'untyped'], ['y', 'untyped'], ['z', 'untyped']]);
    expect(Number.isNaN(f[1].samples[0].value)).toBe(true);
    expect(f[2].samples[0].value).toBe(-Infinity);
  });

  it.each([
    ['up one', 'line 1: "one" is not a number'],
    ['up{a=1} 1', 'line 1: label a\'s value is not quoted'],
    ['up{a="1",a="2"} 1', 'line 1: label a repeated'],
    ['up{1a="x"} 1', 'line 1: bad label name "1a"'],
    ['up{a="x} 1', 'line 1: label a\'s value is not closed'],
    ['up{a="\\t"} 1', 'line 1: bad escape \\t in label a'],
    ['up 1 2 3', 'line 1: up needs a value (and at most a timestamp)'],
    ['up 1 soon', 'line 1: bad timestamp "soon"'],
    ['# TYPE up meter', 'line 1: unknown type "meter"'],
    ['up 1\n# TYPE up gauge', 'line 2: TYPE of up after its samples'],
    ['# TYPE h histogram\nh_bucket 1', 'line 2: h_bucket has no le label'],
    ['{a="1"} 1', 'line 1: not a sample'],
  ])('refuses %j', (text, message) => {
    expect(() => parsePromText(text)).toThrow(PromParseError);
    expect(() => parsePromText(text)).toThrow(message);
  });
});
