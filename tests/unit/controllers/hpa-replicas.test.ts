// The HPA's arithmetic alone: utilisation against requests, tolerance, the stabilisation windows
// (300 s by default for scale-down) and the behavior's rate limits.
import { describe, expect, it } from 'vitest';
import type { Pod, PodMetrics } from '../../../main/api/types';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP } from '../../../main/api/defaults-hpa';
import {
  effectiveRules, limitReplicas, perPodReplicas, plainMetricReplicas, resourceMetricValues, resourceReplicas, stabilize, usageRatioReplicas,
  type Recommendation,
} from '../../../main/controllers/hpa-replicas';

const pod = (name: string, cpu?: string): Pod => ({
  metadata: { name }, spec: { containers: [{ name: 'c', image: 'x', ...(cpu ? { resources: { requests: { cpu } } } : {}) }] },
  status: { phase: 'Running', startTime: '2026-12-07T09:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-07T09:00:00Z' }] },
});
const NOW = Date.parse('2026-12-07T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const metric = (name: string, cpu: string): PodMetrics => ({ metadata: { name }, timestamp: iso(NOW), window: '10s', containers: [{ name: 'c', usage: { cpu, memory: '1Mi' } }] });

describe('hpa arithmetic', () => {
  it('computes utilisation over pods with metrics, and refuses pods without requests', () => {
    const u = resourceReplicas([pod('a', '200m'), pod('b', '200m'), pod('c', '200m')], resourceMetricValues([metric('a', '100m'), metric('b', '300m')], 'cpu'), 'cpu', 3, 100, undefined, NOW);
    // a and b at 100 % together; c without a sample, at target: no change.
    expect(u).toEqual({ replicas: 3, utilization: 100, rawAverage: 200 });
    // Integer milli-units as Kubernetes computes them: 156m of 300m is 52%, not 51.99…% truncated to 51.
    const three = ['a', 'b', 'c'];
    expect(resourceReplicas(three.map((n) => pod(n, '100m')), resourceMetricValues(three.map((n) => metric(n, '52m')), 'cpu'), 'cpu', 3, 50, undefined, NOW))
      .toEqual({ replicas: 3, utilization: 52, rawAverage: 52 });
    expect(() => resourceReplicas([pod('a')], resourceMetricValues([metric('a', '1')], 'cpu'), 'cpu', 1, 50, undefined, NOW)).toThrow('missing request for cpu in container c of Pod a');
    expect(() => resourceMetricValues([], 'cpu')).toThrow('no metrics returned from resource metrics API');
  });

  it('keeps the count within tolerance 0.1, otherwise scales by the ratio of the ready pods, rounding up', () => {
    const four = ['a', 'b', 'c', 'd'];
    const at = (m: string, target: number) => resourceReplicas(four.map((n) => pod(n, '100m')), resourceMetricValues(four.map((n) => metric(n, m)), 'cpu'), 'cpu', 4, target, undefined, NOW);
    expect(at('54m', 50).replicas).toBe(4);
    expect(at('56m', 50).replicas).toBe(5);
    expect(at('10m', 50).replicas).toBe(1);
  });

  it('leaves out CPU samples of pods not yet ready, or ready for less than a window in their first 5 minutes (groupPods)', () => {
    const started = (name: string, startAgoMs: number, readyAgoMs: number, ready = true): Pod => ({
      ...pod(name, '100m'),
      status: { phase: 'Running', startTime: iso(NOW - startAgoMs), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: iso(NOW - readyAgoMs) }] },
    });
    const samples = resourceMetricValues(['old', 'fresh'].map((n) => metric(n, '200m')), 'cpu');
    // 'fresh' turned Ready 5 s ago: its 10 s sample does not cover a window since, so it is unready and, scaling up, counts as 0.
    expect(resourceReplicas([started('old', 600_000, 600_000), started('fresh', 60_000, 5_000)], samples, 'cpu', 2, 50, undefined, NOW))
      .toEqual({ replicas: 4, utilization: 200, rawAverage: 200 });
    // Ready 20 s ago: counted. Both at 200 % of a 50 % target: 8.
    expect(resourceReplicas([started('old', 600_000, 600_000), started('fresh', 60_000, 20_000)], samples, 'cpu', 2, 50, undefined, NOW).replicas).toBe(8);
    // Past its first 5 minutes, a pod unready since it started (never ready) is left out; memory has no such rule.
    expect(resourceReplicas([started('old', 600_000, 600_000), started('fresh', 600_000, 590_000, false)], samples, 'cpu', 2, 50, undefined, NOW).replicas).toBe(4);
    const mem = resourceMetricValues(['old', 'fresh'].map((n) => ({ ...metric(n, '1m'), containers: [{ name: 'c', usage: { cpu: '1m', memory: '200Mi' } }] })), 'memory');
    const memPod = (p: Pod): Pod => ({ ...p, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { memory: '100Mi' } } }] } });
    expect(resourceReplicas([memPod(started('old', 600_000, 600_000)), memPod(started('fresh', 60_000, 5_000))], mem, 'memory', 2, 50, undefined, NOW).replicas).toBe(8);
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

describe('hpa arithmetic of Pods, Object and External metrics (replica_calculator.go)', () => {
  const running = (name: string, phase = 'Running', ready = true): Pod => ({
    metadata: { name }, spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  const values = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, value]) => [k, { value }]));

  it('averages the pods\' values in milli-units against the per-pod target, unchanged within tolerance', () => {
    // (30 + 50) / 2 = 40 a pod over 20: twice the pods.
    expect(plainMetricReplicas([running('a'), running('b')], values({ a: 30_000, b: 50_000 }), 2, 20_000)).toEqual({ replicas: 4, usage: 40_000 });
    // 21 over 20 is within 10 %.
    expect(plainMetricReplicas([running('a'), running('b')], values({ a: 21_000, b: 21_000 }), 2, 20_000)).toEqual({ replicas: 2, usage: 21_000 });
    // Go's integer division: (1 + 2) / 2 = 1 milli.
    expect(plainMetricReplicas([running('a'), running('b')], values({ a: 1, b: 2 }), 2, 1).usage).toBe(1);
  });

  it('leaves out deleted and failed pods, counts pending ones as unready and pods without values conservatively', () => {
    const deleted = { ...running('d'), metadata: { name: 'd', deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(plainMetricReplicas([running('a'), deleted, running('f', 'Failed')], values({ a: 40_000, d: 1e9, f: 1e9 }), 3, 20_000)).toEqual({ replicas: 2, usage: 40_000 });
    // Scaling up, a pod without a value counts as 0: (40 + 0) / 2 = 20 is at target, so no change.
    expect(plainMetricReplicas([running('a'), running('m')], values({ a: 40_000 }), 2, 20_000)).toEqual({ replicas: 2, usage: 40_000 });
    // Scaling down, pods without a value count at the target: (5 + 20 + 20) / 3 = 15 over 20 → ceil(0.75 × 3) = 3, as now.
    expect(plainMetricReplicas([running('a'), running('m'), running('n')], values({ a: 5_000 }), 3, 20_000)).toEqual({ replicas: 3, usage: 5_000 });
    // Scaling up with a pending pod: it counts as 0 too. (60 + 0) / 2 = 30 over 20 → ceil(1.5 × 2) = 3.
    expect(plainMetricReplicas([running('a'), running('p', 'Pending')], values({ a: 60_000 }), 2, 20_000)).toEqual({ replicas: 3, usage: 60_000 });
    expect(() => plainMetricReplicas([], values({}), 1, 1)).toThrow('no pods returned by selector while calculating replica count');
    expect(() => plainMetricReplicas([running('p', 'Pending')], values({ p: 5 }), 1, 1)).toThrow('did not receive metrics for targeted pods (pods might be unready)');
  });

  it('scales a value target by the ready pods, and a per-pod average by the total', () => {
    expect(usageRatioReplicas(2, 2.5, [running('a'), running('b'), running('c', 'Running', false)])).toBe(5);
    expect(usageRatioReplicas(2, 1.05, [running('a')])).toBe(2);
    expect(usageRatioReplicas(0, 2.5, [])).toBe(3);
    expect(() => usageRatioReplicas(2, 3, [])).toThrow('unable to calculate ready pods: no pods returned by selector while calculating replica count');
    // 35 over 10 a pod from 1: 4, the average 35; within tolerance of 4 × 9: unchanged.
    expect(perPodReplicas(1, 35_000, 10_000)).toEqual({ replicas: 4, average: 35_000 });
    expect(perPodReplicas(4, 37_000, 9_000)).toEqual({ replicas: 4, average: 9_250 });
    // The average is rounded up (math.Ceil), not down.
    expect(perPodReplicas(3, 10_000, 1_000).average).toBe(3_334);
  });
});
