// bench --overhead's pure parts: the ABBA order of the runs and the overhead's sign for throughput and latency.
import { describe, expect, it } from 'vitest';
import { overheadOrder, overheadPct } from '../../../main/cli/bench-overhead';

describe('bench --overhead', () => {
  it('alternates on and off in ABBA order, as many runs of each', () => {
    expect(overheadOrder(3)).toEqual([true, false, false, true, true, false]);
    expect(overheadOrder(0)).toEqual([]);
  });

  it('counts a lower throughput or a higher latency with tracing and metrics on as overhead', () => {
    expect(overheadPct(950, 1000, 'higher')).toBeCloseTo(5.26, 2);
    expect(overheadPct(105, 100, 'lower')).toBeCloseTo(5, 5);
    expect(overheadPct(100, 105, 'lower')).toBeCloseTo(-4.76, 2);
    expect(overheadPct(0, 100, 'lower')).toBeNaN();
  });
});
