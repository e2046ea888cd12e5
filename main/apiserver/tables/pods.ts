// Pods: NAME READY STATUS RESTARTS AGE [IP NODE NOMINATED NODE READINESS GATES], with printPod's status reasoning
// (shared with the UI in api/pod-status).
import type { Pod } from '../../api/types';
import { podStatusSummary } from '../../api/pod-status';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { humanDuration } from './duration';
import type { TableRowCondition } from './types';

interface PodSummary {
  ready: string;
  reason: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS of a pod, exactly as `kubectl get pods` shows them. */
export function summarizePod(pod: Pod, now: Date): PodSummary {
  const s = podStatusSummary(pod);
  let restartsText = String(s.restarts);
  if (s.restarts !== 0 && s.lastRestart !== undefined) {
    restartsText = `${s.restarts} (${humanDuration(now.getTime() - s.lastRestart)} ago)`;
  }
  return { ready: `${s.readyContainers}/${s.totalContainers}`, reason: s.reason, restarts: restartsText };
}

function readinessGates(pod: Partial<Pod>): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const gate of gates) {
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === gate.conditionType);
    if (cond?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

function podConditions(pod: Partial<Pod>): TableRowCondition[] | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

export const podTable = defineTable<Pod>({
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', cell: (pod, now) => summarizePod(pod, now).ready },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', cell: (pod, now) => summarizePod(pod, now).reason },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', cell: (pod, now) => summarizePod(pod, now).restarts },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, description: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', cell: (pod) => pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>' },
    { name: 'Node', type: 'string', priority: 1, description: 'NodeName indicates in which node this pod is scheduled.', cell: (pod) => pod.spec?.nodeName || '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, description: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', cell: (pod) => pod.status?.nominatedNodeName || '<none>' },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: 'If specified, all readiness gates will be evaluated for pod readiness.', cell: readinessGates },
  ],
  conditions: podConditions,
});
