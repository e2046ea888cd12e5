// The autoscaling/v1 shapes of HPA metrics, as Kubernetes keeps the metrics v1 cannot express in the
// `autoscaling.alpha.kubernetes.io/metrics` and `.../current-metrics` annotations (k8s.io/api/autoscaling/v1
// MetricSpec and MetricStatus: targetAverageUtilization, targetAverageValue, metricName, …), and their
// conversion to and from the autoscaling/v2 MetricSpec and MetricStatus.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { CrossVersionObjectReference, MetricSpec, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2';

interface V1ResourceSource { name: string; container?: string; targetAverageUtilization?: number; targetAverageValue?: string }
interface V1ResourceStatus { name: string; container?: string; currentAverageUtilization?: number; currentAverageValue: string }

export interface V1MetricSpec {
  type: string;
  object?: { target: CrossVersionObjectReference; metricName: string; targetValue: string; selector?: LabelSelector; averageValue?: string };
  pods?: { metricName: string; targetAverageValue: string; selector?: LabelSelector };
  resource?: V1ResourceSource;
  containerResource?: V1ResourceSource & { container: string };
  external?: { metricName: string; metricSelector?: LabelSelector; targetValue?: string; targetAverageValue?: string };
}

export interface V1MetricStatus {
  type: string;
  object?: { target: CrossVersionObjectReference; metricName: string; currentValue: string; selector?: LabelSelector; averageValue?: string };
  pods?: { metricName: string; currentAverageValue: string; selector?: LabelSelector };
  resource?: V1ResourceStatus;
  containerResource?: V1ResourceStatus & { container: string };
  external?: { metricName: string; metricSelector?: LabelSelector; currentValue: string; currentAverageValue?: string };
}

const q = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));
const q0 = (v: string | number | undefined): string => q(v) ?? '0';

export function metricSpecToV1(m: MetricSpec): V1MetricSpec {
  const out: V1MetricSpec = { type: m.type };
  if (m.resource) {
    out.resource = {
      name: m.resource.name, targetAverageUtilization: m.resource.target.averageUtilization,
      targetAverageValue: q(m.resource.target.averageValue),
    };
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = {
      name: c.name, container: c.container,
      targetAverageUtilization: c.target.averageUtilization, targetAverageValue: q(c.target.averageValue),
    };
  }
  if (m.pods) out.pods = { metricName: m.pods.metric.name, selector: m.pods.metric.selector, targetAverageValue: q0(m.pods.target.averageValue) };
  if (m.object) {
    const o = m.object;
    out.object = {
      target: o.describedObject, metricName: o.metric.name, selector: o.metric.selector,
      targetValue: q0(o.target.value), averageValue: q(o.target.averageValue),
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = {
      metricName: e.metric.name, metricSelector: e.metric.selector,
      targetValue: q(e.target.value), targetAverageValue: q(e.target.averageValue),
    };
  }
  return out;
}

function target(utilization: number | undefined, averageValue: string | undefined): MetricTarget {
  if (utilization !== undefined) return { type: 'Utilization', averageUtilization: utilization };
  return { type: 'AverageValue', averageValue };
}

export function metricSpecFromV1(m: V1MetricSpec): MetricSpec {
  const out: MetricSpec = { type: m.type };
  if (m.resource) out.resource = { name: m.resource.name, target: target(m.resource.targetAverageUtilization, m.resource.targetAverageValue) };
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = { name: c.name, container: c.container, target: target(c.targetAverageUtilization, c.targetAverageValue) };
  }
  if (m.pods) out.pods = {
    metric: { name: m.pods.metricName, selector: m.pods.selector },
    target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue },
  };
  if (m.object) {
    const o = m.object;
    out.object = {
      describedObject: o.target, metric: { name: o.metricName, selector: o.selector },
      target: o.averageValue !== undefined ? { type: 'AverageValue', averageValue: o.averageValue } : { type: 'Value', value: o.targetValue },
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = {
      metric: { name: e.metricName, selector: e.metricSelector },
      target: e.targetAverageValue !== undefined ? { type: 'AverageValue', averageValue: e.targetAverageValue } : { type: 'Value', value: e.targetValue },
    };
  }
  return out;
}

export function metricStatusToV1(m: MetricStatus): V1MetricStatus {
  const out: V1MetricStatus = { type: m.type };
  if (m.resource) {
    const c = m.resource.current;
    out.resource = { name: m.resource.name, currentAverageUtilization: c.averageUtilization, currentAverageValue: q0(c.averageValue) };
  }
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = {
      name: r.name, container: r.container,
      currentAverageUtilization: r.current.averageUtilization, currentAverageValue: q0(r.current.averageValue),
    };
  }
  if (m.pods) out.pods = { metricName: m.pods.metric.name, selector: m.pods.metric.selector, currentAverageValue: q0(m.pods.current.averageValue) };
  if (m.object) {
    const o = m.object;
    out.object = {
      target: o.describedObject, metricName: o.metric.name, selector: o.metric.selector,
      currentValue: q0(o.current.value), averageValue: q(o.current.averageValue),
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = {
      metricName: e.metric.name, metricSelector: e.metric.selector,
      currentValue: q0(e.current.value), currentAverageValue: q(e.current.averageValue),
    };
  }
  return out;
}

export function metricStatusFromV1(m: V1MetricStatus): MetricStatus {
  const out: MetricStatus = { type: m.type };
  if (m.resource) {
    const r = m.resource;
    out.resource = { name: r.name, current: { averageUtilization: r.currentAverageUtilization, averageValue: r.currentAverageValue } };
  }
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = {
      name: r.name, container: r.container,
      current: { averageUtilization: r.currentAverageUtilization, averageValue: r.currentAverageValue },
    };
  }
  if (m.pods) out.pods = { metric: { name: m.pods.metricName, selector: m.pods.selector }, current: { averageValue: m.pods.currentAverageValue } };
  if (m.object) {
    const o = m.object;
    out.object = {
      describedObject: o.target, metric: { name: o.metricName, selector: o.selector },
      current: { value: o.currentValue, averageValue: o.averageValue },
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: { name: e.metricName, selector: e.metricSelector }, current: { value: e.currentValue, averageValue: e.currentAverageValue } };
  }
  return out;
}
