// RollingUpdate of a DaemonSet without surge (daemon/update.go rollingUpdate, maxSurge 0): old
// pods that are not available are replaced at once; available ones only while fewer than
// maxUnavailable nodes lack an available daemon pod. A node whose old pod is deleted gets its new
// pod once the old one is gone (the manage step creates it).
import type { DaemonSet, Node, Pod } from '../api/types';
import { placement } from './daemonset-nodes';
import { HASH_LABEL, isDeleting } from './daemonset-pods';
import { isPodAvailable } from './pod-util';

/** maxUnavailable as a number of nodes: an int, or a percentage of the desired nodes rounded up; at least 1. */
export function maxUnavailable(ds: DaemonSet, desired: number): number {
  const v = ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const n = typeof v === 'number' ? v : v.endsWith('%') ? Math.ceil((Number(v.slice(0, -1)) * desired) / 100) : Number(v) || 0;
  return Math.max(1, n);
}

/** findUpdatedPodsOnNode: the node's one new and one old pod (not being deleted); undefined when there are more. */
function podsOnNode(pods: Pod[], hash: string): { fresh?: Pod; old?: Pod } | undefined {
  const live = pods.filter((p) => !isDeleting(p));
  const fresh = live.filter((p) => p.metadata?.labels?.[HASH_LABEL] === hash);
  const old = live.filter((p) => p.metadata?.labels?.[HASH_LABEL] !== hash);
  return fresh.length > 1 || old.length > 1 ? undefined : { fresh: fresh[0], old: old[0] };
}

/** The old pods to delete in this step of the rollout. */
export function rollingUpdateVictims(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): Pod[] {
  if (ds.spec?.updateStrategy?.type === 'OnDelete') return [];
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const eligible = nodes.filter((n) => placement(ds, n).shouldRun);
  const budget = maxUnavailable(ds, eligible.length);
  let unavailable = 0;
  const replace: Pod[] = [];
  const candidates: Pod[] = [];
  for (const n of eligible) {
    const on = podsOnNode(byNode.get(n.metadata?.name ?? '') ?? [], hash);
    if (!on || (!on.old && !on.fresh) || (on.old && on.fresh)) unavailable++; // manage's business; counts as unavailable
    else if (on.fresh) { if (!isPodAvailable(on.fresh, minReady)) unavailable++; } else if (!isPodAvailable(on.old!, minReady)) replace.push(on.old!);
    else if (unavailable < budget) candidates.push(on.old!);
  }
  return [...replace, ...candidates.slice(0, Math.max(0, budget - unavailable))];
}
