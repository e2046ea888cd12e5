// autoscaling/v2 HorizontalPodAutoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE
// (printHorizontalPodAutoscaler; TARGETS as formatHPAMetrics: "cpu: 12%/50%", "40/10", "35/10 (avg)", "<unknown>" before a reading).
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, Scale } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

/** formatHPAMetrics shows the first two metrics and counts the rest. */
const MAX_SHOWN = 2;
const UNKNOWN = '<unknown>';
/** A nil *resource.Quantity's String(). */
const NIL = '<nil>';

/** A metric's target or current value (MetricTarget, MetricValueStatus): the fields printed. */
type Value = { averageValue?: string; averageUtilization?: number; value?: string };

/** A Resource or ContainerResource metric: `cpu: 12%/50%`, `memory: 10Mi/100Mi`. */
function resourceText(name: string, target: Value, cur: Value | undefined): string {
  if (target.averageValue !== undefined) return `${name}: ${cur ? cur.averageValue ?? NIL : UNKNOWN}/${target.averageValue}`;
  const current = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : UNKNOWN;
  return `${name}: ${current}/${target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>'}`;
}

/** A value or per-pod average target (External, Object): `35/10 (avg)`, `250/100`. */
function valueText(target: Value, cur: Value | undefined): string {
  if (target.averageValue !== undefined) return `${cur?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
  return `${cur ? cur.value ?? NIL : UNKNOWN}/${target.value ?? NIL}`;
}

function metricText(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': return valueText(spec.external!.target, status?.external?.current);
    case 'Pods': return `${status?.pods ? status.pods.current.averageValue ?? NIL : UNKNOWN}/${spec.pods!.target.averageValue ?? NIL}`;
    case 'Object': return valueText(spec.object!.target, status?.object?.current);
    case 'Resource': return resourceText(spec.resource!.name, spec.resource!.target, status?.resource?.current);
    case 'ContainerResource': return resourceText(spec.containerResource!.name, spec.containerResource!.target, status?.containerResource?.current);
    default: return '<unknown type>';
  }
}

/** formatHPAMetrics (printers.go): each metric's current/target, the status entry at the same index. */
export function formatHpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const list = specs.map((s, i) => metricText(s, statuses[i]));
  if (list.length > MAX_SHOWN) return `${list.slice(0, MAX_SHOWN).join(', ')} + ${list.length - MAX_SHOWN} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerTable = defineTable<HorizontalPodAutoscaler>({
  columns: [
    nameColumn,
    { name: 'Reference', type: 'string', description: 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.', cell: (h) => `${h.spec?.scaleTargetRef.kind ?? ''}/${h.spec?.scaleTargetRef.name ?? ''}` },
    { name: 'Targets', type: 'string', description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.', cell: (h) => formatHpaTargets(h) },
    { name: 'MinPods', type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.', cell: (h) => (h.spec?.minReplicas === undefined ? '<unset>' : String(h.spec.minReplicas)) },
    { name: 'MaxPods', type: 'integer', description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.', cell: (h) => h.spec?.maxReplicas ?? 0 },
    { name: 'Replicas', type: 'string', description: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.', cell: (h) => String(h.status?.currentReplicas ?? 0) },
    ageColumn,
  ],
});

/** autoscaling/v1 Scale, what `kubectl get <kind> <name> --subresource=scale` shows: NAME DESIRED AVAILABLE AGE (printScale). */
export const scaleTable = defineTable<Scale>({
  columns: [
    { ...nameColumn, format: undefined },
    { name: 'Desired', type: 'integer', description: 'replicas is the desired number of instances for the scaled object.', cell: (s) => s.spec?.replicas ?? 0 },
    { name: 'Available', type: 'integer', description: 'replicas is the actual number of observed instances of the scaled object.', cell: (s) => s.status?.replicas ?? 0 },
    ageColumn,
  ],
});
