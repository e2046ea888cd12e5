// RollingUpdate of a DaemonSet (daemon/update.go rollingUpdate). Without surge: old pods that are
// not available are replaced at once; available ones only while fewer than maxUnavailable nodes
// lack an available daemon pod (the manage step creates the new pod once the old one is gone).
// With maxSurge: a new pod starts beside an available old one on up to maxSurge nodes at a time,
// and the old pod is deleted once the new one is available; an unavailable old pod is replaced
// at once.
import type { DaemonSet, Node, Pod } from '../api/types';
import { placement } from './daemonset-nodes';
import { HASH_LABEL, isDeleting } from './daemonset-pods';
import { isPodAvailable } from './pod-util';

/** An int, or a percentage of the desired nodes rounded up. */
function resolve(v: number | string | undefined, desired: number): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : v.endsWith('%') ? Math.ceil((Number(v.slice(0, -1)) * desired) / 100) : Number(v) || 0;
}

/** maxSurge as a number of nodes (0: no surge). */
export function maxSurge(ds: DaemonSet, desired: number): number {
  return ds.spec?.updateStrategy?.type === 'OnDelete' ? 0 : resolve(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge, desired);
}

/** maxUnavailable as a number of nodes; at least 1 when there is no surge. */
export function maxUnavailable(ds: DaemonSet, desired: number): number {
  const n = resolve(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired);
  return maxSurge(ds, desired) === 0 ? Math.max(1, n) : n;
}

/** findUpdatedPodsOnNode: the node's one new and one old pod (not being deleted); undefined when there are more. */
function podsOnNode(pods: Pod[], hash: string): { fresh?: Pod; old?: Pod } | undefined {
  const live = pods.filter((p) => !isDeleting(p));
  const fresh = live.filter((p) => p.metadata?.labels?.[HASH_LABEL] === hash);
  const old = live.filter((p) => p.metadata?.labels?.[HASH_LABEL] !== hash);
  return fresh.length > 1 || old.length > 1 ? undefined : { fresh: fresh[0], old: old[0] };
}

export interface RolloutStep {
  /** Old pods to delete. */
  remove: Pod[];
  /** Nodes to start a new pod on beside the old one (surge). */
  create: string[];
}

/** This step of the rollout. */
export function rollingUpdateStep(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, now = Date.now()): RolloutStep {
  if (ds.spec?.updateStrategy?.type === 'OnDelete') return { remove: [], create: [] };
  const eligible = nodes.filter((n) => placement(ds, n).shouldRun);
  if (maxSurge(ds, eligible.length) > 0) return surgeStep(ds, eligible, byNode, hash, now);
  return { remove: unavailableStep(ds, eligible, byNode, hash, now), create: [] };
}

function unavailableStep(ds: DaemonSet, eligible: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): Pod[] {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const budget = maxUnavailable(ds, eligible.length);
  let unavailable = 0;
  const replace: Pod[] = [];
  const candidates: Pod[] = [];
  for (const n of eligible) {
    const on = podsOnNode(byNode.get(n.metadata?.name ?? '') ?? [], hash);
    if (!on || (!on.old && !on.fresh) || (on.old && on.fresh)) unavailable++; // manage's business; counts as unavailable
    else if (on.fresh) { if (!isPodAvailable(on.fresh, minReady, now)) unavailable++; } else if (!isPodAvailable(on.old!, minReady, now)) replace.push(on.old!);
    else if (unavailable < budget) candidates.push(on.old!);
  }
  return [...replace, ...candidates.slice(0, Math.max(0, budget - unavailable))];
}

function surgeStep(ds: DaemonSet, eligible: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): RolloutStep {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const remove: Pod[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let surging = 0;
  for (const n of eligible) {
    const name = n.metadata?.name ?? '';
    const on = podsOnNode(byNode.get(name) ?? [], hash);
    if (!on) {
      surging++; // manage cleans this node up
    } else if (!on.old) {
      continue; // up to date, or manage creates its pod
    } else if (!on.fresh) {
      if (isPodAvailable(on.old, minReady, now)) candidates.push(name);
      else allowed.push(name);
    } else if (!isPodAvailable(on.fresh, minReady, now)) {
      surging++;
    } else {
      remove.push(on.old);
    }
  }
  const room = Math.min(Math.max(0, maxSurge(ds, eligible.length) - surging), candidates.length);
  return { remove, create: [...allowed, ...candidates.slice(0, room)] };
}
