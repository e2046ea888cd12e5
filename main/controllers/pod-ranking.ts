// The order in which a ReplicaSet gives up pods when scaling down (controller.ActivePods'
// ranking): unassigned before assigned, Pending before Unknown before Running, not ready before
// ready, recently ready before long ready, more restarts first, newer before older.
import type { Pod } from '../api/types';
import { podCondition } from './pod-util';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(p: Pod): number {
  let n = 0;
  for (const c of p.status?.containerStatuses ?? []) n = Math.max(n, c.restartCount ?? 0);
  return n;
}

function time(s: string | undefined): number {
  return s ? Date.parse(s) : 0;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: Pod, b: Pod): number {
  const an = a.spec?.nodeName ? 1 : 0;
  const bn = b.spec?.nodeName ? 1 : 0;
  if (an !== bn) return an - bn;
  const ap = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const bp = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = podCondition(a, 'Ready');
  const br = podCondition(b, 'Ready');
  const aReady = ar?.status === 'True' ? 1 : 0;
  const bReady = br?.status === 'True' ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  if (aReady && bReady) {
    const d = time(br?.lastTransitionTime) - time(ar?.lastTransitionTime);
    if (d !== 0) return d;
  }
  const dr = restarts(b) - restarts(a);
  if (dr !== 0) return dr;
  return time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp);
}
