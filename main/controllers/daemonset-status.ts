// A DaemonSet's status (updateDaemonSetStatus): per node that should run a daemon pod, whether it
// has one and whether its oldest is ready, available and of the current template; pods on nodes
// that should not run one are misscheduled.
import type { DaemonSet, DaemonSetStatus, Node, Pod } from '../api/types';
import { placement } from './daemonset-nodes';
import { HASH_LABEL } from './daemonset-pods';
import { isPodAvailable, isPodReady } from './pod-util';

export function daemonSetStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): DaemonSetStatus {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const s = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0 };
  for (const n of nodes) {
    const pod = byNode.get(n.metadata?.name ?? '')?.[0];
    if (!placement(ds, n).shouldRun) {
      if (pod) s.numberMisscheduled++;
      continue;
    }
    s.desiredNumberScheduled++;
    if (!pod) continue;
    s.currentNumberScheduled++;
    if (isPodReady(pod)) s.numberReady++;
    if (isPodAvailable(pod, minReady)) s.numberAvailable++;
    if (pod.metadata?.labels?.[HASH_LABEL] === hash) s.updatedNumberScheduled++;
  }
  const status: DaemonSetStatus = { ...s, numberUnavailable: s.desiredNumberScheduled - s.numberAvailable, observedGeneration: ds.metadata?.generation ?? 0 };
  // Zero counts of these two are left out, as Go's omitempty does.
  if (!status.numberAvailable) delete status.numberAvailable;
  if (!status.numberUnavailable) delete status.numberUnavailable;
  return status;
}

export function sameDaemonSetStatus(a: DaemonSetStatus | undefined, b: DaemonSetStatus): boolean {
  const keys = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'numberAvailable', 'updatedNumberScheduled', 'observedGeneration', 'numberUnavailable'] as const;
  return keys.every((k) => (a?.[k] ?? 0) === (b[k] ?? 0));
}
