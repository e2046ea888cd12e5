// The HPA's arithmetic (pkg/controller/podautoscaler: replica_calculator.go and the behavior
// normalisation of horizontal.go), pure: resource utilisation of the pods against their requests,
// the proposal within tolerance 0.1, the stabilisation windows (scale-up takes the lowest, scale-down
// the highest recommendation within its window) and the scale rate policies.
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior, Pod, PodMetrics } from '../api/types';
import { parseQuantity } from '../api/quantity';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP } from '../api/defaults-hpa';

export const TOLERANCE = 0.1;

export interface Utilization {
  /** Usage as a percentage of requests, truncated (GetResourceUtilizationRatio). */
  utilization: number;
  /** Average usage per pod with metrics, as a quantity string (cpu millicores "250m", memory bytes). */
  averageValue: string;
  /** Pods counted (ready pods with metrics). */
  podCount: number;
}

function podRequest(pod: Pod, resource: string, container?: string): number {
  let total = 0;
  for (const c of pod.spec?.containers ?? []) {
    if (container !== undefined && c.name !== container) continue;
    const req = c.resources?.requests?.[resource];
    if (req === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
    total += parseQuantity(req);
  }
  return total;
}

/**
 * Utilisation of `resource` over the running, not-terminating pods that have metrics — of one container's usage and
 * request when `container` is given (a ContainerResource metric) —; throws when none have.
 */
export function resourceUtilization(pods: Pod[], metrics: PodMetrics[], resource: 'cpu' | 'memory', container?: string): Utilization {
  const byName = new Map(metrics.map((m) => [m.metadata.name ?? '', m]));
  let usage = 0;
  let requests = 0;
  let podCount = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp || p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') continue;
    const m = byName.get(p.metadata?.name ?? '');
    if (!m) continue;
    // In whole milli-units, as Kubernetes' metrics client keeps them (MilliValue), so that the
    // integer division below gives Kubernetes' percentages (0.156 / 0.3 in floating point is 51.99…%).
    requests += Math.round(podRequest(p, resource, container) * 1000);
    if (container !== undefined && !m.containers.some((c) => c.name === container)) {
      throw new Error(`unable to get metrics for resource ${resource}: container ${container} not present in metrics for pod ${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`);
    }
    for (const c of m.containers) if (container === undefined || c.name === container) usage += Math.round(parseQuantity(c.usage[resource]) * 1000);
    podCount++;
  }
  if (!podCount) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (requests <= 0) throw new Error(`no requests for ${resource}`);
  const avgMilli = Math.trunc(usage / podCount);
  return {
    utilization: Math.trunc((usage * 100) / requests), podCount,
    averageValue: resource === 'cpu' ? `${avgMilli}m` : String(Math.round(avgMilli / 1000)),
  };
}

/** The replica proposal for a utilisation target (GetResourceReplicas): unchanged within tolerance. */
export function proposeReplicas(current: number, u: Utilization, target: number): number {
  const ratio = u.utilization / target;
  if (Math.abs(1 - ratio) <= TOLERANCE) return current;
  return Math.ceil(ratio * u.podCount);
}

/** GetMetricUsageRatio: the average of the values (milli-units, integer division as Go's) over the target. */
function usageRatio(values: Iterable<number>, targetMilli: number): { ratio: number; usage: number } {
  let total = 0;
  let n = 0;
  for (const v of values) { total += v; n++; }
  const usage = Math.trunc(total / n);
  return { ratio: usage / targetMilli, usage };
}

/**
 * calcPlainMetricReplicas (a Pods metric): the pods' values in milli-units by pod name against a per-pod target.
 * Deleted and failed pods are left out, pending ones count as unready, pods without a value count at the target
 * when scaling down and at 0 when scaling up; no change within tolerance or when those guesses reverse the direction.
 */
export function plainMetricReplicas(
  pods: Pod[], metrics: ReadonlyMap<string, number>, current: number, targetMilli: number,
): { replicas: number; usage: number } {
  if (!pods.length) throw new Error('no pods returned by selector while calculating replica count');
  const values = new Map(metrics);
  const unready: string[] = [];
  const missing: string[] = [];
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    if (p.metadata?.deletionTimestamp || p.status?.phase === 'Failed') { values.delete(name); continue; }
    if (p.status?.phase === 'Pending') { unready.push(name); values.delete(name); continue; }
    if (!values.has(name)) missing.push(name);
  }
  if (!values.size) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = usageRatio(values.values(), targetMilli);
  const scaleUpWithUnready = unready.length > 0 && ratio > 1;
  if (!scaleUpWithUnready && !missing.length) {
    return { replicas: Math.abs(1 - ratio) <= TOLERANCE ? current : Math.ceil(ratio * values.size), usage };
  }
  for (const name of missing) values.set(name, ratio < 1 ? targetMilli : 0);
  if (scaleUpWithUnready) for (const name of unready) values.set(name, 0);
  const next = usageRatio(values.values(), targetMilli).ratio;
  if (Math.abs(1 - next) <= TOLERANCE || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return { replicas: current, usage };
  const replicas = Math.ceil(next * values.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return { replicas: current, usage };
  return { replicas, usage };
}

/** getReadyPodsCount: the selected pods Running and Ready; none selected is an error. */
export function readyPodCount(pods: Pod[]): number {
  if (!pods.length) throw new Error('unable to calculate ready pods: no pods returned by selector while calculating replica count');
  return pods.filter((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/**
 * getUsageRatioReplicaCount (an Object or External metric with a Value target): unchanged within tolerance, else the
 * ratio times the ready pods; from 0 replicas, the ratio alone.
 */
export function usageRatioReplicas(current: number, ratio: number, pods: Pod[]): number {
  if (current === 0) return Math.ceil(ratio);
  if (Math.abs(1 - ratio) <= TOLERANCE) return current;
  return Math.ceil(ratio * readyPodCount(pods));
}

/**
 * GetObjectPerPodMetricReplicas and GetExternalPerPodMetricReplicas (an AverageValue target): the total over the
 * per-pod target, unless within tolerance of the current replicas; the average per current replica, rounded up.
 */
export function perPodReplicas(current: number, usageMilli: number, targetMilli: number): { replicas: number; average: number } {
  const ratio = usageMilli / (targetMilli * current);
  const replicas = Math.abs(1 - ratio) > TOLERANCE ? Math.ceil(usageMilli / targetMilli) : current;
  return { replicas, average: Math.ceil(usageMilli / current) };
}

export interface Recommendation { at: number; replicas: number }
export interface ScaleEvent { at: number; change: number }

/** The effective scale-up and scale-down rules (defaults for what behavior leaves out). */
export function effectiveRules(b: HorizontalPodAutoscalerBehavior | undefined): { up: HPAScalingRules; down: HPAScalingRules } {
  return { up: b?.scaleUp ?? DEFAULT_SCALE_UP, down: b?.scaleDown ?? DEFAULT_SCALE_DOWN };
}

/** stabilizeRecommendationWithBehaviors: clamps the proposal between the windows' extremes. Mutates history (prunes, appends). */
export function stabilize(
  history: Recommendation[], proposal: number, current: number, rules: { up: HPAScalingRules; down: HPAScalingRules }, now: number,
): number {
  const upCutoff = now - (rules.up.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = now - (rules.down.stabilizationWindowSeconds ?? 300) * 1000;
  let up = proposal;
  let down = proposal;
  for (const r of history) {
    if (r.at > upCutoff) up = Math.min(up, r.replicas);
    if (r.at > downCutoff) down = Math.max(down, r.replicas);
  }
  let rec = current;
  if (rec < up) rec = up;
  if (rec > down) rec = down;
  const keepFrom = Math.min(upCutoff, downCutoff);
  const kept = history.filter((r) => r.at > keepFrom);
  history.splice(0, history.length, ...kept, { at: now, replicas: proposal });
  return rec;
}

function changeInPeriod(events: ScaleEvent[], periodSeconds: number, now: number, sign: 1 | -1): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.at > cutoff && Math.sign(e.change) === sign).reduce((s, e) => s + Math.abs(e.change), 0);
}

/** calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(current: number, events: ScaleEvent[], rules: HPAScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const values = (rules.policies ?? []).map((p) => {
    const start = current - changeInPeriod(events, p.periodSeconds, now, 1);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  if (!values.length) return current;
  return rules.selectPolicy === 'Min' ? Math.min(...values) : Math.max(...values);
}

/** calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(current: number, events: ScaleEvent[], rules: HPAScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const values = (rules.policies ?? []).map((p) => {
    const start = current + changeInPeriod(events, p.periodSeconds, now, -1);
    return p.type === 'Pods' ? start - p.value : Math.floor(start * (1 - p.value / 100));
  });
  if (!values.length) return current;
  return rules.selectPolicy === 'Min' ? Math.max(...values) : Math.min(...values);
}

export interface Limited { replicas: number; reason: string; message: string; limited: boolean }

/** convertDesiredReplicasWithBehaviorRate: the rate limits, then min/max replicas; says which bound applied. */
export function limitReplicas(
  desired: number, current: number, min: number, max: number, events: ScaleEvent[], rules: { up: HPAScalingRules; down: HPAScalingRules }, now: number,
): Limited {
  if (desired > current) {
    const rate = scaleUpLimit(current, events, rules.up, now);
    const cap = Math.min(rate, max);
    if (desired > cap) {
      return rate < max
        ? { replicas: cap, limited: true, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { replicas: cap, limited: true, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
  } else if (desired < current) {
    const rate = scaleDownLimit(current, events, rules.down, now);
    const floor = Math.max(rate, min);
    if (desired < floor) {
      return rate > min
        ? { replicas: floor, limited: true, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { replicas: floor, limited: true, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
  }
  if (desired > max) return { replicas: max, limited: true, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  if (desired < min) return { replicas: min, limited: true, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  return { replicas: desired, limited: false, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}
