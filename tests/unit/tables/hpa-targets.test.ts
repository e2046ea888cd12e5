// kubectl get hpa's TARGETS column as printers.go's formatHPAMetrics writes it for every metric type: the current
// value from the status entry at the same index (<unknown> before one), "(avg)" for per-pod targets of External and
// Object metrics, the resource's name before Resource metrics, two shown and the rest counted.
import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from '../../../main/api/types';
import { formatHpaTargets } from '../../../main/apiserver/tables/autoscaling';

const hpa = (metrics: MetricSpec[], currentMetrics?: MetricStatus[]): HorizontalPodAutoscaler => ({
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics },
  ...(currentMetrics ? { status: { desiredReplicas: 1, currentMetrics } } : {}),
});
const pods: MetricSpec = { type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '20' } } };
const object: MetricSpec = { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value', value: '100' } } };
const objectAvg: MetricSpec = { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '50' } } };
const external: MetricSpec = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } };
const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };

describe('formatHpaTargets', () => {
  it('says <unknown> before a reading, and each type as kubectl prints it after', () => {
    expect(formatHpaTargets(hpa([pods]))).toBe('<unknown>/20');
    expect(formatHpaTargets(hpa([pods], [{ type: 'Pods', pods: { metric: { name: 'http_requests' }, current: { averageValue: '40' } } }]))).toBe('40/20');
    expect(formatHpaTargets(hpa([object], [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, current: { value: '250' } } }])))
      .toBe('250/100');
    expect(formatHpaTargets(hpa([objectAvg]))).toBe('<unknown>/50 (avg)');
    expect(formatHpaTargets(hpa([external], [{ type: 'External', external: { metric: { name: 'queue' }, current: { averageValue: '35' } } }]))).toBe('35/10 (avg)');
    expect(formatHpaTargets(hpa([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '12m' } } }]))).toBe('cpu: 12%/50%');
    expect(formatHpaTargets(hpa([]))).toBe('<none>');
  });

  it('shows two metrics and counts the others', () => {
    expect(formatHpaTargets(hpa([cpu, pods, object, external]))).toBe('cpu: <unknown>/50%, <unknown>/20 + 2 more...');
  });
});
