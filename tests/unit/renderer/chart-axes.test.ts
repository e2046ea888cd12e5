// The usage charts' axes: value ticks with units from 0 to allocatable, minute ticks back to the window's start,
// samples placed by their time (older than the window: left out), and the chart drawn with both axes' labels.
// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { durationLabel, formatCores, plotPoints, timeTicks, valueTicks } from '../../../renderer/src/lib/chart-axes';
import { formatBytes } from '../../../renderer/src/lib/quantity';
import UsageChart from '../../../renderer/src/components/UsageChart.vue';

describe('chart axes', () => {
  it('labels values from 0 to the maximum in the resource\'s units', () => {
    expect(valueTicks(4000, formatCores)).toEqual([{ at: 0, label: '0' }, { at: 0.5, label: '2 cores' }, { at: 1, label: '4 cores' }]);
    expect(valueTicks(1000, formatCores, 2).map((t) => t.label)).toEqual(['0', '500m', '1 core']);
    expect(valueTicks(3000, formatCores, 2).map((t) => t.label)).toEqual(['0', '1.5 cores', '3 cores']);
    expect(valueTicks(8 * 2 ** 30, formatBytes, 1).map((t) => t.label)).toEqual(['0', '8.0 GiB']);
    expect(valueTicks(0, formatCores)).toEqual([{ at: 0, label: '0' }]);
  });

  it('ticks back over the window at a step, the newest "now"', () => {
    const ticks = timeTicks(300_000);
    expect(ticks.map((t) => t.label)).toEqual(['−5 min', '−4 min', '−3 min', '−2 min', '−1 min', 'now']);
    [0, 0.2, 0.4, 0.6, 0.8, 1].forEach((at, i) => expect(ticks[i].at).toBeCloseTo(at, 9));
    expect(timeTicks(300_000, 300_000).map((t) => t.label)).toEqual(['−5 min', 'now']);
    expect(timeTicks(0)).toEqual([]);
    expect([durationLabel(30_000), durationLabel(90_000), durationLabel(7_200_000)]).toEqual(['30 s', '1.5 min', '2 h']);
  });

  it('places samples by time within the window and clamps values to the axis', () => {
    const now = 1_000_000;
    expect(plotPoints([now - 400_000, now - 150_000, now], [1, 500, 5000], 1000, now, 300_000)).toEqual([[0.5, 0.5], [1, 1]]);
    expect(plotPoints([now], [-5], 1000, now, 300_000)).toEqual([[1, 0]]);
    expect(plotPoints([now], [5], 0, now, 300_000)).toEqual([]);
  });

  it('draws the line with both axes labelled and says what it shows', () => {
    const now = 1_000_000;
    const w = mount(UsageChart, {
      props: { times: [now - 10_000, now - 5000, now], values: [1000, 2000, 3000], max: 4000, format: formatCores, windowMs: 300_000, label: 'CPU' },
    });
    expect(w.find('.y').text()).toBe('4 cores2 cores0');
    expect(w.findAll('.x span').map((s) => s.text())).toEqual(['−5 min', '−2.5 min', 'now']);
    expect(w.find('polyline').attributes('points')).toBe('96.67,75.00 98.33,50.00 100.00,25.00');
    expect(w.attributes('aria-label')).toBe('CPU over the last 5 min: now 3 cores of 4 cores');
    const compact = mount(UsageChart, { props: { times: [now], values: [0], max: 4000, format: formatCores, windowMs: 300_000, label: 'CPU', compact: true } });
    expect(compact.find('.y').text()).toBe('4 cores0');
    expect(compact.findAll('.x span').map((s) => s.text())).toEqual(['−5 min', 'now']);
    expect(compact.find('circle').exists()).toBe(true);
  });
});
