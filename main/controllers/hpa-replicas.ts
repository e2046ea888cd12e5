// The HPA's arithmetic (pkg/controller/podautoscaler: replica_calculator.go, the metrics client's pod values and the
// behavior normalisation of horizontal.go), pure: resource utilisation of the pods against their requests and plain
// per-pod values against a target — with groupPods' ready, unready, missing and ignored pods and the guesses for the
// last ones —, the proposal within tolerance 0.1, the stabilisation windows (scale-up takes the lowest, scale-down the
// highest recommendation within its window) and the scale rate policies.
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior, Pod, PodMetrics } from '../api/types';
import { parseQuantity } from '../api/quantity';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP } from '../api/defaults-hpa';
import { parseGoDuration } from '../api/go-duration';

export const TOLERANCE = 0.1;

/** A pod's value of a metric in milli-units, and when and over what window it was measured (CPU's readiness rules). */
export interface PodValue { value: number; timestampMs?: number; windowMs?: number }

/** The pods' values by name, as the metrics client hands them to the replica calculator. */
export type PodValues = Map<string, PodValue>;

/** --horizontal-pod-autoscaler-cpu-initialization-period and -initial-readiness-delay (kube-controller-manager's defaults). */
const CPU_INITIALIZATION_MS = 5 * 60_000;
const INITIAL_READINESS_DELAY_MS = 30_000;

/** A quantity in whole milli-units, as the HPA's metrics client reads them (MilliValue). */
export const milli = (q: string): number => Math.round(parseQuantity(q) * 1000);

/**
 * The metrics client's getPodMetrics / getContainerMetrics: each pod's usage of `resource` in milli-units from
 * metrics.k8s.io (a pod missing it in any container is left out), or of one container's.
 */
export function resourceMetricValues(metrics: PodMetrics[], resource: string, container?: string): PodValues {
  if (!metrics.length) throw new Error('no metrics returned from resource metrics API');
  const out: PodValues = new Map();
  for (const m of metrics) {
    const name = m.metadata.name ?? '';
    const when = { timestampMs: Date.parse(m.timestamp) || 0, windowMs: m.window ? parseGoDuration(m.window) : 0 };
    const usage = m.containers.map((c) => ({ name: c.name, q: (c.usage as Record<string, string | undefined>)[resource] }));
    if (container !== undefined) {
      const c = usage.find((x) => x.name === container);
      if (!c) throw new Error(`container ${container} not present in metrics for pod ${m.metadata.namespace ?? ''}/${name}`);
      if (c.q !== undefined) out.set(name, { value: milli(c.q), ...when });
      continue;
    }
    if (!usage.length || usage.some((c) => c.q === undefined)) continue;
    out.set(name, { value: usage.reduce((sum, c) => sum + milli(c.q!), 0), ...when });
  }
  return out;
}

/**
 * calculatePodRequests: each pod's request of `resource` in milli-units — its containers' and restartable init
 * containers', or the one container's —; a container without one is an error.
 */
export function podRequests(pods: Pod[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
    let sum = 0;
    for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
      if (container !== undefined && c.name !== container) continue;
      const req = c.resources?.requests?.[resource];
      if (req === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
      sum += milli(req);
    }
    out.set(pod.metadata?.name ?? '', sum);
  }
  return out;
}

interface Groups { ready: number; unready: string[]; missing: string[]; ignored: string[] }

/**
 * groupPods: deleted and failed pods are ignored, pending ones unready, those without a value missing; for CPU, a pod
 * is also unready while it is not Ready or has no start time, or — in its first 5 minutes — while its sample does not
 * cover a whole window since its readiness changed, or — after that — when it is not ready and never was.
 */
function groupPods(pods: Pod[], values: PodValues, resource: string, now: number): Groups {
  const g: Groups = { ready: 0, unready: [], missing: [], ignored: [] };
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    if (p.metadata?.deletionTimestamp || p.status?.phase === 'Failed') { g.ignored.push(name); continue; }
    if (p.status?.phase === 'Pending') { g.unready.push(name); continue; }
    const v = values.get(name);
    if (!v) { g.missing.push(name); continue; }
    if (resource === 'cpu') {
      const cond = p.status?.conditions?.find((c) => c.type === 'Ready');
      const start = Date.parse(p.status?.startTime ?? '');
      let unready: boolean;
      if (!cond || Number.isNaN(start)) {
        unready = true;
      } else {
        const changed = Date.parse(cond.lastTransitionTime ?? '') || 0;
        unready = start + CPU_INITIALIZATION_MS > now
          ? cond.status === 'False' || (v.timestampMs ?? 0) < changed + (v.windowMs ?? 0)
          : cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > changed;
      }
      if (unready) { g.unready.push(name); continue; }
    }
    g.ready++;
  }
  return g;
}

/** GetMetricUsageRatio: the average of the values (milli-units, integer division as Go's) over the target. */
function usageRatio(values: PodValues, targetMilli: number): { ratio: number; usage: number } {
  let total = 0;
  for (const v of values.values()) total += v.value;
  const usage = Math.trunc(total / values.size);
  return { ratio: usage / targetMilli, usage };
}

/** GetResourceUtilizationRatio: usage over requests of the pods with both, as a truncated percentage, against the target. */
function utilizationRatio(values: PodValues, requests: Map<string, number>, target: number): { ratio: number; utilization: number; rawAverage: number } {
  let usage = 0;
  let requested = 0;
  let n = 0;
  for (const [name, v] of values) {
    const r = requests.get(name);
    if (r === undefined) continue;
    usage += v.value;
    requested += r;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(usage / n) };
}

/** The guesses for pods without a usable value, then the proposal unless they reverse the direction (both calculators' tail). */
function withGuesses(
  current: number, values: PodValues, g: Groups, ratio: number, missingValue: (name: string) => number | undefined, recompute: () => number,
): number | undefined {
  const scaleUpWithUnready = g.unready.length > 0 && ratio > 1;
  if (!scaleUpWithUnready && !g.missing.length) return undefined;
  for (const name of g.missing) {
    const value = missingValue(name);
    if (value !== undefined) values.set(name, { value });
  }
  if (scaleUpWithUnready) for (const name of g.unready) values.set(name, { value: 0 });
  const next = recompute();
  if (Math.abs(1 - next) <= TOLERANCE || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return current;
  const replicas = Math.ceil(next * values.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return current;
  return replicas;
}

/**
 * GetResourceReplicas (a Utilization target): the pods' usage over their requests against the target percentage;
 * unready pods' samples left out, pods without one counted at their request when scaling down and at 0 when up.
 */
export function resourceReplicas(
  pods: Pod[], metrics: PodValues, resource: string, current: number, target: number, container?: string, now = Date.now(),
): { replicas: number; utilization: number; rawAverage: number } {
  if (!pods.length) throw new Error('no pods returned by selector while calculating replica count');
  const values: PodValues = new Map(metrics);
  const g = groupPods(pods, values, resource, now);
  for (const name of [...g.ignored, ...g.unready]) values.delete(name);
  const requests = podRequests(pods, resource, container);
  if (!values.size) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, utilization, rawAverage } = utilizationRatio(values, requests, target);
  // Scaling down, a pod without a value counts at its request; up, at 0; exactly at target, not at all.
  const missingValue = (name: string) => (ratio < 1 ? requests.get(name) ?? 0 : ratio > 1 ? 0 : undefined);
  const guessed = withGuesses(current, values, g, ratio, missingValue, () => utilizationRatio(values, requests, target).ratio);
  const replicas = guessed ?? (Math.abs(1 - ratio) <= TOLERANCE ? current : Math.ceil(ratio * g.ready));
  return { replicas, utilization, rawAverage };
}

/**
 * calcPlainMetricReplicas (a Pods metric, or a resource's AverageValue target): the pods' values in milli-units
 * against a per-pod target, with groupPods' rules (CPU's readiness ones for `resource` cpu) and the same guesses.
 */
export function plainMetricReplicas(
  pods: Pod[], metrics: PodValues, current: number, targetMilli: number, resource = '', now = Date.now(),
): { replicas: number; usage: number } {
  if (!pods.length) throw new Error('no pods returned by selector while calculating replica count');
  const values: PodValues = new Map(metrics);
  const g = groupPods(pods, values, resource, now);
  for (const name of [...g.ignored, ...g.unready]) values.delete(name);
  if (!values.size) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = usageRatio(values, targetMilli);
  // Scaling down, a pod without a value counts at the target; otherwise at 0.
  const guessed = withGuesses(current, values, g, ratio, () => (ratio < 1 ? targetMilli : 0), () => usageRatio(values, targetMilli).ratio);
  return { replicas: guessed ?? (Math.abs(1 - ratio) <= TOLERANCE ? current : Math.ceil(ratio * values.size)), usage };
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
