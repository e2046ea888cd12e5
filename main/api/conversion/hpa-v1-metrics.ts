// The autoscaling/v1 shapes of HPA metrics, as Kubernetes keeps the metrics v1 cannot express in the
// `autoscaling.alpha.kubernetes.io/metrics` and `.../current-metrics` annotations (k8s.io/api/autoscaling/v1
// MetricSpec and MetricStatus: targetAverageUtilization, targetAverageValue, metricName, …), and their
// conversion to and from the autoscaling/v2 MetricSpec and MetricStatus. A spec and a status convert
// alike: v2 holds the numbers in `target` (a MetricTarget, typed) or `current` (a MetricValueStatus), v1
// spells them `target…` or `current…` beside the metric; one converter serves both sides.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { CrossVersionObjectReference, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2';

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

type Side = 'target' | 'current';

/** The v1 names of a side's numbers. */
const KEYS = {
  target: { util: 'targetAverageUtilization', avg: 'targetAverageValue', value: 'targetValue' },
  current: { util: 'currentAverageUtilization', avg: 'currentAverageValue', value: 'currentValue' },
} as const;

interface Numbers { averageUtilization?: number; averageValue?: string | number; value?: string | number }
type V1Any = Record<string, unknown>;

const q = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));
const q0 = (v: string | number | undefined): string => q(v) ?? '0';

/** The side's numbers of a v2 source or status. */
function numbers(side: Side, x: { target?: MetricTarget; current?: MetricValueStatus }): Numbers {
  return (side === 'target' ? x.target : x.current) ?? {};
}

function toV1(m: MetricSpec | MetricStatus, side: Side): V1Any {
  const k = KEYS[side];
  // Quantities v1 holds as values (not pointers) are "0" when unset: the status's current values, pods' and object's.
  const status = side === 'current';
  const out: V1Any = { type: m.type };
  const resource = (r: { name: string; target?: MetricTarget; current?: MetricValueStatus }) => {
    const n = numbers(side, r);
    return { name: r.name, [k.util]: n.averageUtilization, [k.avg]: status ? q0(n.averageValue) : q(n.averageValue) };
  };
  if (m.resource) out.resource = resource(m.resource);
  if (m.containerResource) out.containerResource = { ...resource(m.containerResource), container: m.containerResource.container };
  if (m.pods) out.pods = { metricName: m.pods.metric.name, selector: m.pods.metric.selector, [k.avg]: q0(numbers(side, m.pods).averageValue) };
  if (m.object) {
    const n = numbers(side, m.object);
    const { describedObject: target, metric } = m.object;
    out.object = { target, metricName: metric.name, selector: metric.selector, [k.value]: q0(n.value), averageValue: q(n.averageValue) };
  }
  if (m.external) {
    const n = numbers(side, m.external);
    const { metric } = m.external;
    out.external = { metricName: metric.name, metricSelector: metric.selector, [k.value]: status ? q0(n.value) : q(n.value), [k.avg]: q(n.averageValue) };
  }
  return out;
}

/** v2's numbers of a side: a status keeps them all; a target is typed by the one it holds (`fallback` when none). */
function measure(side: Side, n: Numbers, fallback: 'AverageValue' | 'Value'): { target?: MetricTarget; current?: MetricValueStatus } {
  if (side === 'current') return { current: { averageUtilization: n.averageUtilization, averageValue: q(n.averageValue), value: q(n.value) } };
  if (n.averageUtilization !== undefined) return { target: { type: 'Utilization', averageUtilization: n.averageUtilization } };
  if (n.averageValue !== undefined || fallback === 'AverageValue') return { target: { type: 'AverageValue', averageValue: q(n.averageValue) } };
  return { target: { type: 'Value', value: q(n.value) } };
}

const field = <T>(o: V1Any, key: string): T | undefined => o[key] as T | undefined;

function fromV1(m: V1MetricSpec | V1MetricStatus, side: Side): V1Any {
  const k = KEYS[side];
  const out: V1Any = { type: m.type };
  const num = (o: object, keys: { util?: string; avg?: string; value?: string }): Numbers => ({
    averageUtilization: keys.util ? field<number>(o as V1Any, keys.util) : undefined,
    averageValue: keys.avg ? field<string>(o as V1Any, keys.avg) : undefined,
    value: keys.value ? field<string>(o as V1Any, keys.value) : undefined,
  });
  if (m.resource) out.resource = { name: m.resource.name, ...measure(side, num(m.resource, { util: k.util, avg: k.avg }), 'AverageValue') };
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = { name: c.name, container: c.container, ...measure(side, num(c, { util: k.util, avg: k.avg }), 'AverageValue') };
  }
  if (m.pods) out.pods = { metric: { name: m.pods.metricName, selector: m.pods.selector }, ...measure(side, num(m.pods, { avg: k.avg }), 'AverageValue') };
  if (m.object) {
    const o = m.object;
    out.object = { describedObject: o.target, metric: { name: o.metricName, selector: o.selector }, ...measure(side, num(o, { avg: 'averageValue', value: k.value }), 'Value') };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: { name: e.metricName, selector: e.metricSelector }, ...measure(side, num(e, { avg: k.avg, value: k.value }), 'Value') };
  }
  return out;
}

export const metricSpecToV1 = (m: MetricSpec): V1MetricSpec => toV1(m, 'target') as unknown as V1MetricSpec;
export const metricStatusToV1 = (m: MetricStatus): V1MetricStatus => toV1(m, 'current') as unknown as V1MetricStatus;
export const metricSpecFromV1 = (m: V1MetricSpec): MetricSpec => fromV1(m, 'target') as unknown as MetricSpec;
export const metricStatusFromV1 = (m: V1MetricStatus): MetricStatus => fromV1(m, 'current') as unknown as MetricStatus;
