// autoscaling/v1 HorizontalPodAutoscaler ↔ the stored autoscaling/v2 one, as Kubernetes converts them
// (pkg/apis/autoscaling/v1/conversion.go): a Resource cpu Utilization metric is targetCPUUtilizationPercentage;
// every other metric, the current metrics, the conditions and the behavior travel in annotations so that
// v2 → v1 → v2 loses nothing.
import type { HorizontalPodAutoscaler as V2, HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerCondition, MetricSpec } from 'kubernetes-types/autoscaling/v2';
import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1';
import type { V1MetricSpec, V1MetricStatus } from './hpa-v1-metrics';
import { metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1 } from './hpa-v1-metrics';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];
/** The target autoscaling/v1 implies when it names none (autoscaling.DefaultCPUUtilization). */
const DEFAULT_CPU_UTILIZATION = 80;

const isCpuUtilization = (m: MetricSpec): boolean =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.averageUtilization !== undefined;

/** The annotations without the round-trip ones (which only conversion may write); undefined when none are left. */
function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const out = Object.fromEntries(Object.entries(annotations).filter(([k]) => !ROUND_TRIP.includes(k)));
  return Object.keys(out).length ? out : undefined;
}

function parseAnnotation<T>(annotations: Record<string, string> | undefined, key: string): T | undefined {
  const raw = annotations?.[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new Error(`annotation ${key} is not valid JSON`);
  }
}

export function hpaToV1(hpa: V2): V1 {
  const spec = hpa.spec;
  const status = hpa.status;
  const annotations: Record<string, string> = { ...withoutRoundTrip(hpa.metadata?.annotations) };
  const others = (spec?.metrics ?? []).filter((m) => !isCpuUtilization(m));
  if (others.length) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  if (status?.currentMetrics?.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(status.currentMetrics.map(metricStatusToV1));
  if (spec?.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  if (status?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  const cpu = spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target.averageUtilization;
  const currentCpu = status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
  const metadata = { ...hpa.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: V1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata };
  if (spec) {
    out.spec = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
    if (cpu !== undefined) out.spec.targetCPUUtilizationPercentage = cpu;
  }
  if (status) {
    out.status = {
      observedGeneration: status.observedGeneration, lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas,
    };
    if (currentCpu !== undefined) out.status.currentCPUUtilizationPercentage = currentCpu;
  }
  return out;
}

/** A v1 object (as a client sent it) to the stored v2 form; throws on a round-trip annotation that is not JSON. */
export function hpaFromV1(hpa: V1): V2 {
  const annotations = hpa.metadata?.annotations;
  const metrics: MetricSpec[] = [];
  const cpu = hpa.spec?.targetCPUUtilizationPercentage;
  if (cpu !== undefined && cpu !== null) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  metrics.push(...(parseAnnotation<V1MetricSpec[]>(annotations, METRIC_SPECS_ANNOTATION) ?? []).map(metricSpecFromV1));
  if (!metrics.length) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });
  }
  const behavior = parseAnnotation<HorizontalPodAutoscalerBehavior>(annotations, BEHAVIOR_ANNOTATION);
  const metadata = { ...hpa.metadata };
  const kept = withoutRoundTrip(annotations);
  if (kept) metadata.annotations = kept;
  else delete metadata.annotations;
  const out: V2 = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata };
  if (hpa.spec) {
    out.spec = { scaleTargetRef: hpa.spec.scaleTargetRef, minReplicas: hpa.spec.minReplicas, maxReplicas: hpa.spec.maxReplicas, metrics };
    if (behavior) out.spec.behavior = behavior;
  }
  const s = hpa.status;
  if (s) {
    out.status = {
      observedGeneration: s.observedGeneration, lastScaleTime: s.lastScaleTime, currentReplicas: s.currentReplicas, desiredReplicas: s.desiredReplicas,
    };
    const current = parseAnnotation<V1MetricStatus[]>(annotations, METRIC_STATUSES_ANNOTATION);
    if (current) out.status.currentMetrics = current.map(metricStatusFromV1);
    else if (s.currentCPUUtilizationPercentage !== undefined) {
      out.status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }];
    }
    const conditions = parseAnnotation<HorizontalPodAutoscalerCondition[]>(annotations, CONDITIONS_ANNOTATION);
    if (conditions) out.status.conditions = conditions;
  }
  return out;
}
