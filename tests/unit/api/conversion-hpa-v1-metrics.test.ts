// The metrics of autoscaling/v1's annotations: every v2 source and status type in both directions, in
// the v1 field names of k8s.io/api/autoscaling/v1 (target… for a spec, current… for a status).
import { describe, expect, it } from 'vitest';
import type { MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1 } from '../../../main/api/conversion/hpa-v1-metrics';

const obj = { apiVersion: 'v1', kind: 'Service', name: 'front' };
const sel = { matchLabels: { q: 'a' } };
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const specs: Array<[MetricSpec, unknown]> = [
  [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
    { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } }],
  [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
    { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', targetAverageUtilization: 60 } }],
  [{ type: 'Pods', pods: { metric: { name: 'qps', selector: sel }, target: { type: 'AverageValue', averageValue: '10' } } },
    { type: 'Pods', pods: { metricName: 'qps', selector: sel, targetAverageValue: '10' } }],
  [{ type: 'Object', object: { describedObject: obj, metric: { name: 'rps' }, target: { type: 'Value', value: '5' } } },
    { type: 'Object', object: { target: obj, metricName: 'rps', targetValue: '5' } }],
  [{ type: 'Object', object: { describedObject: obj, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '2' } } },
    { type: 'Object', object: { target: obj, metricName: 'rps', targetValue: '0', averageValue: '2' } }],
  [{ type: 'External', external: { metric: { name: 'queue', selector: sel }, target: { type: 'AverageValue', averageValue: '30' } } },
    { type: 'External', external: { metricName: 'queue', metricSelector: sel, targetAverageValue: '30' } }],
];

const statuses: Array<[MetricStatus, unknown]> = [
  [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '350m' } } },
    { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 70, currentAverageValue: '350m' } }],
  [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageValue: '1' } } },
    { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', currentAverageValue: '1' } }],
  [{ type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '12' } } },
    { type: 'Pods', pods: { metricName: 'qps', currentAverageValue: '12' } }],
  [{ type: 'Object', object: { describedObject: obj, metric: { name: 'rps' }, current: { value: '7', averageValue: '3' } } },
    { type: 'Object', object: { target: obj, metricName: 'rps', currentValue: '7', averageValue: '3' } }],
  [{ type: 'External', external: { metric: { name: 'queue' }, current: { value: '40', averageValue: '20' } } },
    { type: 'External', external: { metricName: 'queue', currentValue: '40', currentAverageValue: '20' } }],
];

describe('autoscaling/v1 metric annotations', () => {
  it.each(specs)('spec %# converts to v1 and back', (v2, v1) => {
    expect(wire(metricSpecToV1(v2))).toEqual(v1);
    const back = wire(metricSpecFromV1(wire(metricSpecToV1(v2))));
    // An Object target by average value keeps v1's required targetValue "0" only in v1.
    expect(back).toEqual(wire(v2));
  });

  it.each(statuses)('status %# converts to v1 and back', (v2, v1) => {
    expect(wire(metricStatusToV1(v2))).toEqual(v1);
    expect(wire(metricStatusFromV1(wire(metricStatusToV1(v2))))).toEqual(wire(v2));
  });

  it('fills the quantities v1 requires with "0" for a status without them', () => {
    expect(wire(metricStatusToV1({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 5 } } }))).toEqual({
      type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 5, currentAverageValue: '0' },
    });
  });
});
