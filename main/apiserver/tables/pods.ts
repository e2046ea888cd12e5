// Pods: NAME READY STATUS RESTARTS AGE [IP NODE NOMINATED NODE READINESS GATES], with printPod's status reasoning
// (shared with the UI in api/pod-status).
import type { KObject, Pod } from '../../api/types';
import { podStatusSummary } from '../../api/pod-status';
import { ageColumn, column, nameColumn, wide } from './columns';
import { humanDuration, translateTimestampSince } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell, TableRowCondition } from './types';

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

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const gate of gates) {
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === gate.conditionType);
    if (cond?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export const podPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    wide('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    wide('Node', 'string', 'NodeName indicates in which node this pod is scheduled.'),
    wide('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
    wide('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const pod = view<Pod>(obj);
    const s = summarizePod(pod, now);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    return [
      pod.metadata?.name ?? '',
      s.ready,
      s.reason,
      s.restarts,
      translateTimestampSince(pod.metadata?.creationTimestamp, now),
      ip,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(obj: KObject): TableRowCondition[] | undefined {
    const phase = (view<Pod>(obj)).status?.phase;
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};
