// autoscaling/v1 ↔ v2 HorizontalPodAutoscaler conversion: the cpu target is targetCPUUtilizationPercentage,
// everything else round-trips through Kubernetes' annotations, and v1 without a target means 80% cpu.
import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler as V2 } from 'kubernetes-types/autoscaling/v2';
import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1';
import type { KObject } from '../../../main/api/types';
import { hpaFromV1, hpaToV1 } from '../../../main/api/conversion/hpa-v1';
import { conversionFor } from '../../../main/api/conversion';
import { convertedResourceFor } from '../../../main/api/resources';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const full: V2 = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
  spec: {
    scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 5 } },
  },
  status: {
    observedGeneration: 2, currentReplicas: 3, desiredReplicas: 4,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '350m' } } }],
    conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  },
};

describe('autoscaling/v1 HorizontalPodAutoscaler conversion', () => {
  it('maps the cpu target and keeps the other metrics, current metrics, conditions and behavior in annotations', () => {
    const v1 = hpaToV1(full);
    expect(v1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
    expect(v1.status?.currentCPUUtilizationPercentage).toBe(70);
    const a = v1.metadata?.annotations ?? {};
    expect(a.team).toBe('a');
    expect(JSON.parse(a['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([
      { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
      { type: 'External', external: { metricName: 'queue', targetValue: '30' } },
    ]);
    expect(JSON.parse(a['autoscaling.alpha.kubernetes.io/current-metrics'])).toEqual([
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 70, currentAverageValue: '350m' } },
    ]);
    expect(JSON.parse(a['autoscaling.alpha.kubernetes.io/conditions'])).toEqual(full.status?.conditions);
    expect(JSON.parse(a['autoscaling.alpha.kubernetes.io/behavior'])).toEqual(full.spec?.behavior);
  });

  it('round-trips v2 → v1 → v2 without loss', () => {
    const conv = conversionFor(convertedResourceFor('autoscaling', 'v1', 'horizontalpodautoscalers')!);
    expect(conv.toStored(conv.fromStored(full as KObject))).toEqual(full);
  });

  it('defaults a v1 object without a target to 80% cpu, and refuses an annotation that is not JSON', () => {
    const v1: V1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } };
    expect(hpaFromV1(v1).spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    const bad: V1 = { ...v1, metadata: { name: 'x', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '[' } } };
    expect(() => hpaFromV1(bad)).toThrow('annotation autoscaling.alpha.kubernetes.io/metrics is not valid JSON');
  });
});
