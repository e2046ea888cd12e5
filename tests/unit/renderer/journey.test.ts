// The Journey tab's arithmetic: durations as people read them, and each step's bar on its part's timeline.
import { describe, expect, it } from 'vitest';
import type { JourneyStep } from '../../../main/api/journey';
import { componentName, formatMs, timelineRows } from '../../../renderer/src/lib/journey';

const step = (start: number, end: number, title = 't'): JourneyStep => ({ step: 'kubelet.sandbox', component: 'kubelet', title, detail: '', start, end, part: 'start' });

describe('the journey timeline', () => {
  it('formats durations from fractions of a millisecond to minutes', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1240)).toBe('1.24 s');
    expect(formatMs(12_400)).toBe('12.4 s');
    expect(formatMs(65_000)).toBe('1 min 5 s');
    expect(formatMs(-1)).toBe('—');
    expect(formatMs(Number.NaN)).toBe('—');
  });

  it('places each step by its offset from the first and its share of the whole', () => {
    const rows = timelineRows([step(1000, 1100), step(1100, 1400), step(1400, 2000)]);
    expect(rows.map((r) => [r.offset, r.duration, r.left, r.width])).toEqual([[0, 100, 0, 10], [100, 300, 10, 30], [400, 600, 40, 60]]);
    expect(timelineRows([])).toEqual([]);
    // An instant step still shows as a sliver.
    expect(timelineRows([step(5, 5)])[0].width).toBe(0.5);
  });

  it('names the components as the textbook does', () => {
    expect(componentName('apiserver')).toBe('API server');
    expect(componentName('endpointslice-controller')).toBe('EndpointSlice controller');
    expect(componentName('something-else')).toBe('something-else');
  });
});
