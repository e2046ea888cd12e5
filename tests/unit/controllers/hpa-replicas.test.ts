// The HPA's arithmetic alone: utilisation against requests, tolerance, the stabilisation windows
// (300 s by default for scale-down) and the behavior's rate limits.
import { describe, expect, it } from 'vitest';
import type { Pod, PodMetrics } from '../../../main/api/types';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP } from '../../../main/api/defaults-hpa';
import { effectiveRules, limitReplicas, proposeReplicas, resourceUtilization, stabilize, type Recommendation } from '../../../main/controllers/hpa-replicas';

const pod = (name: string, cpu?: string): Pod => ({
  metadata: { name }, spec: { containers: [{ name: 'c', image: 'x', ...(cpu ? { resources: { requests: { cpu } } } : {}) }] }, status: { phase: 'Running' },
});
const metric = (name: string, cpu: string): PodMetrics => ({ metadata: { name }, timestamp: '', window: '10s', containers: [{ name: 'c', usage: { cpu, memory: '1Mi' } }] });

describe('hpa arithmetic', () => {
  it('computes utilisation over pods with metrics, and refuses pods without requests', () => {
    const u = resourceUtilization([pod('a', '200m'), pod('b', '200m'), pod('c', '200m')], [metric('a', '100m'), metric('b', '300m')], 'cpu');
    expect(u).toEqual({ utilization: 100, averageValue: '200m', podCount: 2 });
    // Integer milli-units as Kubernetes computes them: 156m of 300m is 52%, not 51.99…% truncated to 51.
    const three = ['a', 'b', 'c'];
    expect(resourceUtilization(three.map((n) => pod(n, '100m')), three.map((n) => metric(n, '52m')), 'cpu')).toEqual({ utilization: 52, averageValue: '52m', podCount: 3 });
    expect(() => resourceUtilization([pod('a')], [metric('a', '1')], 'cpu')).toThrow('missing request for cpu in container c of Pod a');
    expect(() => resourceUtilization([pod('a', '1')], [], 'cpu')).toThrow('no metrics returned from resource metrics API');
  });

  it('keeps the count within tolerance 0.1, otherwise scales by the ratio, rounding up', () => {
    expect(proposeReplicas(4, { utilization: 54, averageValue: '', podCount: 4 }, 50)).toBe(4);
    expect(proposeReplicas(4, { utilization: 56, averageValue: '', podCount: 4 }, 50)).toBe(5);
    expect(proposeReplicas(4, { utilization: 10, averageValue: '', podCount: 4 }, 50)).toBe(1);
  });

  it('scales down only to the highest recommendation of the last 300 s by default; scales up at once', () => {
    const rules = effectiveRules(undefined);
    expect(rules).toEqual({ up: DEFAULT_SCALE_UP, down: DEFAULT_SCALE_DOWN });
    const h: Recommendation[] = [];
    const t0 = 1_000_000;
    expect(stabilize(h, 5, 2, rules, t0)).toBe(5);
    expect(stabilize(h, 1, 5, rules, t0 + 60_000)).toBe(5);
    expect(stabilize(h, 1, 5, rules, t0 + 299_000)).toBe(5);
    expect(stabilize(h, 1, 5, rules, t0 + 301_000)).toBe(1);
  });

  it('limits the rate by the policies and the bounds, and names the limit', () => {
    const rules = effectiveRules(undefined);
    // Up: max(4 pods, 100%) per 15 s from 2 is 6.
    expect(limitReplicas(20, 2, 1, 10, [], rules, 0)).toMatchObject({ replicas: 6, reason: 'ScaleUpLimit', limited: true });
    expect(limitReplicas(20, 8, 1, 10, [], rules, 0)).toMatchObject({ replicas: 10, reason: 'TooManyReplicas' });
    expect(limitReplicas(0, 3, 2, 10, [], rules, 0)).toMatchObject({ replicas: 2, reason: 'TooFewReplicas' });
    expect(limitReplicas(4, 3, 1, 10, [], rules, 0)).toMatchObject({ replicas: 4, reason: 'DesiredWithinRange', limited: false });
    // A scale-up of 4 in the current period leaves room for 4 pods / 100% from the period's start (2): 6.
    expect(limitReplicas(20, 6, 1, 10, [{ at: -5_000, change: 4 }], rules, 0)).toMatchObject({ replicas: 6, reason: 'ScaleUpLimit' });
    const slowDown = { ...rules, down: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    expect(limitReplicas(1, 5, 1, 10, [], slowDown, 0)).toMatchObject({ replicas: 4, reason: 'ScaleDownLimit' });
  });
});
