// autoscaling/v2 HorizontalPodAutoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE
// (printHorizontalPodAutoscaler; TARGETS as formatHPAMetrics: "cpu: 12%/50%", "<unknown>" before a reading).
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, Scale } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

const MAX_SHOWN = 4;

function resourceTarget(spec: MetricSpec, status: MetricStatus | undefined): string | undefined {
  const r = spec.resource;
  if (spec.type !== 'Resource' || !r) return undefined;
  const cur = status?.type === 'Resource' && status.resource?.name === r.name ? status.resource.current : undefined;
  if (r.target.type === 'Utilization') {
    const current = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
    return `${r.name}: ${current}/${r.target.averageUtilization ?? 0}%`;
  }
  return `${r.name}: ${cur?.averageValue ?? '<unknown>'}/${r.target.averageValue ?? ''}`;
}

/** formatHPAMetrics (resource metrics; other metric types show their name and <unknown>). */
export function formatHpaTargets(hpa: HorizontalPodAutoscaler, wide = false): string {
  const specs = hpa.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const list = specs.map((s, i) => resourceTarget(s, statuses[i]) ?? `${s.type}: <unknown>`);
  if (list.length > MAX_SHOWN && !wide) return `${list.slice(0, MAX_SHOWN).join(', ')} + ${list.length - MAX_SHOWN} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerTable = defineTable<HorizontalPodAutoscaler>({
  columns: [
    nameColumn,
    { name: 'Reference', type: 'string', description: 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.', cell: (h) => `${h.spec?.scaleTargetRef.kind ?? ''}/${h.spec?.scaleTargetRef.name ?? ''}` },
    { name: 'Targets', type: 'string', description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.', cell: (h) => formatHpaTargets(h) },
    { name: 'MinPods', type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.', cell: (h) => String(h.spec?.minReplicas ?? 1) },
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
