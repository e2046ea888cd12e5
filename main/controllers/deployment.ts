// The Deployment controller: one ReplicaSet per pod template (label pod-template-hash, annotation
// deployment.kubernetes.io/revision), rolled by RollingUpdate (maxSurge / maxUnavailable) or
// Recreate (deployment-rollout.ts), old ReplicaSets pruned to revisionHistoryLimit, paused
// honoured, and status with the Available / Progressing conditions kubectl rollout status reads.
import type { Deployment, ReplicaSet } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import type { RolloutContext } from './deployment-replicasets';
import { newReplicaSet, scaleRS } from './deployment-replicasets';
import { oldReplicaSets, rolloutRecreate, rolloutRolling } from './deployment-rollout';
import { computeStatus, isComplete, progressRecheckMs, sameStatus } from './deployment-status';
import { byCreation, equalIgnoreHash, revisionOf, specReplicas } from './deployment-util';
import { withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';
import { controllerRef, isPodActive, isPodAvailable } from './pod-util';

/** A ReplicaSet whose status alone changed only moves its deployment's status: such syncs are coalesced. */
const STATUS_COALESCE_MS = 100;
/** How soon a Deployment is synced again when its ReplicaSets' statuses and their pods disagree. */
const RECHECK_MS = 500;

export function newDeploymentController(ctx: ControllerContext): Controller {
  const pods = ctx.informers.pods; // taken before the shared informers start
  const rc: RolloutContext = {
    client: ctx.client, recorder: ctx.recorder('deployment-controller'),
    availablePods: (rs, minReadySeconds) => {
      const n = pods.byIndex(BY_CONTROLLER, rs.metadata?.uid ?? '').filter((p) => isPodActive(p) && isPodAvailable(p, minReadySeconds)).length;
      // The pods and the ReplicaSet's status disagree (one of the two informers, or the status, is behind): look again soon,
      // as no event of the Deployment's own may come.
      const ref = controllerRef(rs);
      if (n !== (rs.status?.availableReplicas ?? 0) && ref?.kind === 'Deployment') builder.queue.addAfter(`${rs.metadata?.namespace}/${ref.name}`, RECHECK_MS);
      return n;
    },
  };
  const builder = newReconciler(ctx, 'deployment', { workers: 4 });
  const controller = builder
    .for('deployments')
    .owns<ReplicaSet>('replicasets', { update: (o, rs) => !coalesced(o, rs) })
    .complete((key) => syncDeployment(ctx, rc, key, (ms) => builder.queue.addAfter(key, ms)));
  const delayStatusSyncs = {
    update: (o: ReplicaSet, rs: ReplicaSet) => {
      const ref = controllerRef(rs);
      if (ref?.kind === 'Deployment' && coalesced(o, rs)) builder.queue.addAfter(`${rs.metadata?.namespace}/${ref.name}`, STATUS_COALESCE_MS);
    },
  };
  return withExtras(controller, { register: () => ctx.informers.replicasets.addHandler(delayStatusSyncs) });
}

/** Only the status changed, and the ReplicaSet is still on its way (a settled one is synced at once). */
function coalesced(o: ReplicaSet, rs: ReplicaSet): boolean {
  const statusOnly = o.metadata?.generation === rs.metadata?.generation && JSON.stringify(o.metadata?.annotations) === JSON.stringify(rs.metadata?.annotations);
  const settled = (rs.status?.replicas ?? 0) === specReplicas(rs) && (rs.status?.availableReplicas ?? 0) === specReplicas(rs);
  return statusOnly && !settled;
}

async function syncDeployment(ctx: ControllerContext, rc: RolloutContext, key: string, requeueAfter: (ms: number) => void): Promise<void> {
  const d = ctx.informers.deployments.get(key);
  if (!d) return;
  const owned = () => ctx.informers.replicasets.byIndex(BY_CONTROLLER, d.metadata?.uid ?? '');
  if (!d.metadata?.deletionTimestamp) {
    if (d.spec?.paused) await scalePaused(rc, d, owned());
    else if (d.spec?.strategy?.type === 'Recreate') await rolloutRecreate(rc, d, owned());
    else await rolloutRolling(rc, d, owned());
  }
  const fresh = owned();
  const newRS = fresh.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  const status = computeStatus(d, newRS, fresh);
  if (isComplete(d, status) && !d.metadata?.deletionTimestamp) await cleanupHistory(rc, d, fresh.filter((rs) => rs !== newRS));
  // A rollout in progress is looked at again when its deadline passes, progress or not (requeueStuckDeployment).
  const recheck = progressRecheckMs(d, status);
  if (recheck !== undefined) requeueAfter(recheck);
  if (sameStatus(d.status, status)) return;
  await ignoreNotFound(ctx.client.patch(R.deployments, d.metadata!.name!, { status }, 'merge', { namespace: d.metadata!.namespace, subresource: 'status' }));
}

/**
 * Paused: no rollout, but scaling still applies — to the one active ReplicaSet (or the current
 * template's when none is active), as dc.scale does.
 */
async function scalePaused(rc: RolloutContext, d: Deployment, all: ReplicaSet[]): Promise<void> {
  // The current template's ReplicaSet, if there is one, is kept in step (annotations, minReadySeconds), never made.
  await newReplicaSet(rc, d, all, oldReplicaSets(d, all), undefined);
  const active = all.filter((rs) => specReplicas(rs) > 0);
  const target = active.length === 1 ? active[0] : active.length === 0 ? all.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template)) : undefined;
  const want = d.spec?.replicas ?? 1;
  if (target && specReplicas(target) !== want) await scaleRS(rc, d, target, want);
}

/** cleanupDeployment: idle old ReplicaSets beyond revisionHistoryLimit are deleted, oldest revision first. */
async function cleanupHistory(rc: RolloutContext, d: Deployment, old: ReplicaSet[]): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const idle = old.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata?.deletionTimestamp)
    .sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    await ignoreNotFound(rc.client.delete(R.replicasets, rs.metadata!.name!, { namespace: rs.metadata!.namespace }));
  }
}
