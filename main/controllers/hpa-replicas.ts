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

function podRequest(pod: Pod, resource: string): number {
  let total = 0;
  for (const c of pod.spec?.containers ?? []) {
    const req = c.resources?.requests?.[resource];
    if (req === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
    total += parseQuantity(req);
  }
  return total;
}

/** Utilisation of `resource` over the running, not-terminating pods that have metrics; throws when none have. */
export function resourceUtilization(pods: Pod[], metrics: PodMetrics[], resource: 'cpu' | 'memory'): Utilization {
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
    requests += Math.round(podRequest(p, resource) * 1000);
    for (const c of m.containers) usage += Math.round(parseQuantity(c.usage[resource]) * 1000);
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
