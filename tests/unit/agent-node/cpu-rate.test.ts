import { describe, expect, it } from 'vitest';
import { cpuRate } from '../../../vm-images/agent/stats/cpu-rate';

describe('cpuRate', () => {
  it('turns ns of CPU per ms of wall into nanocores: one busy core is 1e9 (1000m)', () => {
    expect(cpuRate({ at: 0, nanos: 0 }, { at: 10_000, nanos: 10e9 })).toBe(1e9);
    expect(cpuRate({ at: 1000, nanos: 5e9 }, { at: 3000, nanos: 5e9 + 0.5e9 })).toBe(250e6);
  });

  it('has no rate without an earlier sample, for no elapsed time, or when the counter went back', () => {
    expect(cpuRate(undefined, { at: 1, nanos: 1 })).toBeUndefined();
    expect(cpuRate({ at: 5, nanos: 1 }, { at: 5, nanos: 2 })).toBeUndefined();
    expect(cpuRate({ at: 5, nanos: 9 }, { at: 6, nanos: 2 })).toBeUndefined();
  });
});
