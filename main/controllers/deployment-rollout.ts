// The two rollout strategies (pkg/controller/deployment rolling.go, recreate.go): RollingUpdate
// scales the new ReplicaSet up within maxSurge and the old ones down within maxUnavailable, one
// step per sync; Recreate scales every old ReplicaSet to zero and creates the new one once their
// pods are gone.
import type { Deployment, ReplicaSet } from '../api/types';
import { byCreation, equalIgnoreHash, specReplicas, surgeAndUnavailable } from './deployment-util';
import type { RolloutContext } from './deployment-replicasets';
import { newReplicaSet, scaleRS } from './deployment-replicasets';

const want = (d: Deployment) => d.spec?.replicas ?? 1;
const total = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + specReplicas(rs), 0);
const available = (rs: ReplicaSet) => rs.status?.availableReplicas ?? 0;

/**
 * Available pods for scaling down: the ReplicaSet's status, or fewer when its pods show fewer. A status can be older
 * than its pods (written before the ReplicaSet controller's last deletions, then the control plane died: after a restart
 * the Deployment controller may sync first); scaling down on such a count breaks maxUnavailable. Never more than the
 * status says, so a pod informer that lags only makes the step smaller.
 */
function availableForScaleDown(rc: RolloutContext, d: Deployment): (rs: ReplicaSet) => number {
  return (rs) => {
    const seen = rc.availablePods?.(rs, d.spec?.minReadySeconds ?? 0);
    return seen === undefined ? available(rs) : Math.min(available(rs), seen);
  };
}

export function oldReplicaSets(d: Deployment, all: ReplicaSet[]): ReplicaSet[] {
  return all.filter((rs) => !equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** NewRSNewReplicas: the new ReplicaSet's size, growing within maxSurge. */
function newReplicas(d: Deployment, totalNow: number, newNow: number): number {
  if (d.spec?.strategy?.type === 'Recreate') return want(d);
  const maxTotal = want(d) + surgeAndUnavailable(d).maxSurge;
  if (totalNow >= maxTotal) return newNow;
  return newNow + Math.max(0, Math.min(maxTotal - totalNow, want(d) - newNow));
}

export async function rolloutRolling(rc: RolloutContext, d: Deployment, all: ReplicaSet[]): Promise<void> {
  const old = oldReplicaSets(d, all);
  const newRS = await newReplicaSet(rc, d, all, old, { replicas: newReplicas(d, total(all), 0) });
  if (newRS && await scaleNewUp(rc, d, newRS, [...old, newRS])) return;
  await scaleOldDown(rc, d, old.filter((rs) => specReplicas(rs) > 0).sort(byCreation), newRS ? [...old, newRS] : old, newRS);
}

/** Scales the new ReplicaSet up (within maxSurge) or down (to spec.replicas); whether it did. */
async function scaleNewUp(rc: RolloutContext, d: Deployment, newRS: ReplicaSet, all: ReplicaSet[]): Promise<boolean> {
  if (specReplicas(newRS) === want(d)) return false;
  const target = specReplicas(newRS) > want(d) ? want(d) : newReplicas(d, total(all), specReplicas(newRS));
  if (target === specReplicas(newRS)) return false;
  await scaleRS(rc, d, newRS, target);
  return true;
}

/** reconcileOldReplicaSets: scales old ReplicaSets down while keeping spec.replicas - maxUnavailable available. */
async function scaleOldDown(rc: RolloutContext, d: Deployment, old: ReplicaSet[], all: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
  if (!old.length) return;
  const minAvailable = want(d) - surgeAndUnavailable(d).maxUnavailable;
  const availableNow = availableForScaleDown(rc, d);
  const newUnavailable = newRS ? Math.max(0, specReplicas(newRS) - availableNow(newRS)) : 0;
  const budget = total(all) - minAvailable - newUnavailable;
  if (budget <= 0) return;
  if (await cleanupUnhealthy(rc, d, old, budget)) return;
  let down = all.reduce((n, rs) => n + availableNow(rs), 0) - minAvailable;
  for (const rs of old) {
    if (down <= 0) break;
    const n = Math.min(specReplicas(rs), down);
    if (n <= 0) continue;
    await scaleRS(rc, d, rs, specReplicas(rs) - n);
    down -= n;
  }
}

/** cleanupUnhealthyReplicas: the old ReplicaSets' unavailable pods go first; whether any did. */
async function cleanupUnhealthy(rc: RolloutContext, d: Deployment, old: ReplicaSet[], budget: number): Promise<boolean> {
  let scaled = false;
  for (const rs of old) {
    if (budget <= 0) break;
    const unhealthy = specReplicas(rs) - available(rs);
    if (unhealthy <= 0) continue;
    const n = Math.min(budget, unhealthy);
    await scaleRS(rc, d, rs, specReplicas(rs) - n);
    budget -= n;
    scaled = true;
  }
  return scaled;
}

export async function rolloutRecreate(rc: RolloutContext, d: Deployment, all: ReplicaSet[]): Promise<void> {
  const old = oldReplicaSets(d, all);
  const active = old.filter((rs) => specReplicas(rs) > 0);
  for (const rs of active) await scaleRS(rc, d, rs, 0);
  if (active.length) return;
  if (old.some((rs) => (rs.status?.replicas ?? 0) > 0)) return; // wait for the old pods to go
  const newRS = await newReplicaSet(rc, d, all, old, { replicas: want(d) });
  if (newRS && specReplicas(newRS) !== want(d)) await scaleRS(rc, d, newRS, want(d));
}
