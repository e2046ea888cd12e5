// The Deployment controller: one ReplicaSet per pod template (label pod-template-hash, annotation
// deployment.kubernetes.io/revision), rolled by RollingUpdate (maxSurge / maxUnavailable) or
// Recreate, old ReplicaSets pruned to revisionHistoryLimit, paused honoured, and status with the
// Available / Progressing conditions kubectl rollout status reads.
import type { Deployment, KObject, ReplicaSet } from '../api/types';
import { isAlreadyExists, isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { computeStatus, isComplete, sameStatus } from './deployment-status';
import {
  DESIRED_REPLICAS, HASH_LABEL, MAX_REPLICAS, REVISION, SKIPPED_ANNOTATIONS,
  byCreation, computeHash, equalIgnoreHash, revisionOf, specReplicas, surgeAndUnavailable,
} from './deployment-util';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { controllerRef, ownerRefFor } from './pod-util';
import { R, keyOf } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

const STATUS_COALESCE_MS = 100;

export function newDeploymentController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const depInf = informers.deployments;
  const rsInf = informers.replicasets;
  const queue = new WorkQueue<string>();
  const recorder = ctx.recorder('deployment-controller');

  const enqueueOwner = (rs: ReplicaSet, delayMs = 0) => {
    const ref = controllerRef(rs as KObject);
    if (ref?.kind === 'Deployment') queue.addAfter(`${rs.metadata?.namespace}/${ref.name}`, delayMs);
  };
  // A ReplicaSet whose status alone changed only moves the deployment's status: coalesce those.
  const onRSUpdate = (o: ReplicaSet, rs: ReplicaSet) => {
    const statusOnly = o.metadata?.generation === rs.metadata?.generation && JSON.stringify(o.metadata?.annotations) === JSON.stringify(rs.metadata?.annotations);
    const settled = (rs.status?.replicas ?? 0) === (rs.spec?.replicas ?? 0) && (rs.status?.availableReplicas ?? 0) === (rs.spec?.replicas ?? 0);
    enqueueOwner(rs, statusOnly && !settled ? STATUS_COALESCE_MS : 0);
  };

  function register(): () => void {
    const offs = [
      depInf.addHandler({ add: (d) => queue.add(keyOf(d)), update: (_o, d) => queue.add(keyOf(d)), delete: (d) => queue.add(keyOf(d)) }),
      rsInf.addHandler({ add: (rs) => enqueueOwner(rs), update: onRSUpdate, delete: (rs) => enqueueOwner(rs) }),
    ];
    return () => offs.forEach((f) => f());
  }

  function annotationsFor(d: Deployment, revision: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) out[k] = v;
    const { maxSurge } = surgeAndUnavailable(d);
    out[REVISION] = String(revision);
    out[DESIRED_REPLICAS] = String(d.spec?.replicas ?? 1);
    out[MAX_REPLICAS] = String((d.spec?.replicas ?? 1) + maxSurge);
    return out;
  }

  async function scaleRS(d: Deployment, rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
    const from = specReplicas(rs);
    const { maxSurge } = surgeAndUnavailable(d);
    const updated = await client.patch<ReplicaSet>(R.replicasets, rs.metadata!.name!, {
      metadata: { annotations: { [DESIRED_REPLICAS]: String(d.spec?.replicas ?? 1), [MAX_REPLICAS]: String((d.spec?.replicas ?? 1) + maxSurge) } },
      spec: { replicas },
    }, 'merge', { namespace: rs.metadata!.namespace });
    if (from !== replicas) {
      recorder.event(d as KObject, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata!.name!} from ${from} to ${replicas}`);
    }
    return updated;
  }

  /** The ReplicaSet of the current template (created when `create`), with its revision annotation current. */
  async function newReplicaSet(d: Deployment, all: ReplicaSet[], old: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = all.filter((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template)).sort(byCreation)[0];
    const maxOld = old.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const revision = maxOld + 1;
    if (existing) {
      let rs = existing;
      if (revisionOf(rs) < revision || rs.metadata?.annotations?.[REVISION] === undefined) {
        rs = await client.patch<ReplicaSet>(R.replicasets, rs.metadata!.name!, { metadata: { annotations: annotationsFor(d, revision) } }, 'merge', { namespace: rs.metadata!.namespace });
      }
      await setDeploymentRevision(d, revisionOf(rs));
      return rs;
    }
    if (!create) return undefined;
    const collision = d.status?.collisionCount ?? 0;
    const hash = computeHash(d.spec?.template, collision);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
    const total = all.reduce((n, rs) => n + specReplicas(rs), 0);
    const replicas = newReplicas(d, total, 0);
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata!.name!}-${hash}`, namespace: d.metadata!.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        annotations: annotationsFor(d, revision),
        ownerReferences: [ownerRefFor(d as KObject)],
      },
      spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    try {
      const created = await client.create<ReplicaSet>(R.replicasets, rs, { namespace: d.metadata!.namespace });
      if (replicas > 0) recorder.event(d as KObject, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata!.name!} from 0 to ${replicas}`);
      await setDeploymentRevision(d, revision);
      return created;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const clash = await client.get<ReplicaSet>(R.replicasets, rs.metadata!.name!, d.metadata!.namespace);
      if (controllerRef(clash as KObject)?.uid === d.metadata?.uid && equalIgnoreHash(clash.spec?.template, d.spec?.template)) return clash;
      await client.patch(R.deployments, d.metadata!.name!, { status: { collisionCount: collision + 1 } }, 'merge', { namespace: d.metadata!.namespace, subresource: 'status' });
      throw new Error(`hash collision for ReplicaSet ${rs.metadata!.name!}`);
    }
  }

  async function setDeploymentRevision(d: Deployment, revision: number): Promise<void> {
    if (d.metadata?.annotations?.[REVISION] === String(revision)) return;
    await client.patch(R.deployments, d.metadata!.name!, { metadata: { annotations: { [REVISION]: String(revision) } } }, 'merge', { namespace: d.metadata!.namespace });
  }

  /** NewRSNewReplicas for a rolling update. */
  function newReplicas(d: Deployment, totalNow: number, newNow: number): number {
    const want = d.spec?.replicas ?? 1;
    if (d.spec?.strategy?.type === 'Recreate') return want;
    const { maxSurge } = surgeAndUnavailable(d);
    const maxTotal = want + maxSurge;
    if (totalNow >= maxTotal) return newNow;
    return newNow + Math.max(0, Math.min(maxTotal - totalNow, want - newNow));
  }

  async function rolling(d: Deployment, all: ReplicaSet[]): Promise<void> {
    let old = all.filter((rs) => !equalIgnoreHash(rs.spec?.template, d.spec?.template));
    const newRS = await newReplicaSet(d, all, old, true);
    all = newRS ? [...old, newRS] : old;
    const want = d.spec?.replicas ?? 1;
    // Scale the new ReplicaSet up (within maxSurge) or down (to spec.replicas).
    if (newRS && specReplicas(newRS) !== want) {
      const total = all.reduce((n, rs) => n + specReplicas(rs), 0);
      const target = specReplicas(newRS) > want ? want : newReplicas(d, total, specReplicas(newRS));
      if (target !== specReplicas(newRS)) {
        await scaleRS(d, newRS, target);
        return;
      }
    }
    // Scale old ReplicaSets down while keeping minAvailable.
    old = old.filter((rs) => specReplicas(rs) > 0).sort(byCreation);
    if (old.length) {
      const { maxUnavailable } = surgeAndUnavailable(d);
      const minAvailable = want - maxUnavailable;
      const allPods = all.reduce((n, rs) => n + specReplicas(rs), 0);
      const newUnavailable = newRS ? Math.max(0, specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0)) : 0;
      let budget = allPods - minAvailable - newUnavailable;
      if (budget <= 0) return;
      let scaled = false;
      // First the old ReplicaSets' unhealthy pods.
      for (const rs of old) {
        if (budget <= 0) break;
        const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
        if (unhealthy <= 0) continue;
        const n = Math.min(budget, unhealthy);
        await scaleRS(d, rs, specReplicas(rs) - n);
        rs.spec = { ...rs.spec!, replicas: specReplicas(rs) - n };
        budget -= n;
        scaled = true;
      }
      if (scaled) return;
      const availableNow = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
      let down = availableNow - minAvailable;
      for (const rs of old) {
        if (down <= 0) break;
        const n = Math.min(specReplicas(rs), down);
        if (n <= 0) continue;
        await scaleRS(d, rs, specReplicas(rs) - n);
        down -= n;
      }
    }
  }

  async function recreate(d: Deployment, all: ReplicaSet[]): Promise<void> {
    const old = all.filter((rs) => !equalIgnoreHash(rs.spec?.template, d.spec?.template));
    let scaled = false;
    for (const rs of old) {
      if (specReplicas(rs) > 0) {
        await scaleRS(d, rs, 0);
        scaled = true;
      }
    }
    if (scaled) return;
    if (old.some((rs) => (rs.status?.replicas ?? 0) > 0)) return; // wait for old pods to go
    const newRS = await newReplicaSet(d, all, old, true);
    if (newRS && specReplicas(newRS) !== (d.spec?.replicas ?? 1)) await scaleRS(d, newRS, d.spec?.replicas ?? 1);
  }

  async function cleanup(d: Deployment, old: ReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = old.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata?.deletionTimestamp)
      .sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        await client.delete(R.replicasets, rs.metadata!.name!, { namespace: rs.metadata!.namespace });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  async function sync(key: string): Promise<void> {
    const d = depInf.get(key);
    if (!d) return;
    const all = rsInf.byIndex(BY_CONTROLLER, d.metadata?.uid ?? '');
    if (!d.metadata?.deletionTimestamp) {
      if (d.spec?.paused) {
        // Paused: no rollout, but scaling still applies — to the one active ReplicaSet (or the
        // current template's when none is active), as dc.scale does.
        const active = all.filter((rs) => specReplicas(rs) > 0);
        const target = active.length === 1 ? active[0] : active.length === 0 ? all.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template)) : undefined;
        if (target && specReplicas(target) !== (d.spec?.replicas ?? 1)) await scaleRS(d, target, d.spec?.replicas ?? 1);
      } else if (d.spec?.strategy?.type === 'Recreate') await recreate(d, all);
      else await rolling(d, all);
    }
    const fresh = rsInf.byIndex(BY_CONTROLLER, d.metadata?.uid ?? '');
    const newRS = fresh.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
    const status = computeStatus(d, newRS, fresh);
    if (isComplete(d, status) && !d.metadata?.deletionTimestamp) await cleanup(d, fresh.filter((rs) => rs !== newRS));
    if (sameStatus(d.status, status)) return;
    try {
      await client.patch(R.deployments, d.metadata!.name!, { status: { ...status, conditions: status.conditions } }, 'merge', { namespace: d.metadata!.namespace, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return {
    name: 'deployment',
    register,
    run: () => runWorkers(queue, 4, sync, (k, e) => ctx.log(`deployment ${k}: ${e instanceof Error ? e.message : String(e)}`)),
  };
}
