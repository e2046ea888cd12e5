// The StatefulSet controller: revisions in ControllerRevisions (controller-history.ts), pods with
// stable identities and claims (statefulset-pods.ts), one step of ordered or parallel creation,
// scale-down and rolling update per sync (statefulset-plan.ts), status (statefulset-status.ts),
// and the claims' retention policy: whenDeleted Delete makes the set an owner of its claims,
// whenScaled Delete makes a scaled-away pod the owner of its claims (the garbage collector deletes them).
import type { KObject, OwnerReference, PersistentVolumeClaim, Pod, StatefulSet, StatefulSetStatus } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import type { EventRecorder } from '../client/record/recorder';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, refFor } from '../client/refs';
import { isAlreadyExists } from '../client/types';
import type { ResourceRef } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { ensureRevision, ownedRevisions, templateOf, truncateHistory } from './controller-history';
import { ignoreNotFound } from './ignore-not-found';
import { controllerRef } from './pod-util';
import { planStatefulSet } from './statefulset-plan';
import { claimsFor, newStatefulPod, ordinalOf, plainOwnerRef, revisionOfPod } from './statefulset-pods';
import { sameStatefulSetStatus, statefulSetStatus } from './statefulset-status';
import { slowStartBatch } from './slow-start';

export function newStatefulSetController(ctx: ControllerContext): Controller {
  const sync = new StatefulSetSync(ctx);
  const ownerKey = (o: KObject) => {
    const ref = controllerRef(o);
    return ref?.kind === 'StatefulSet' ? [`${o.metadata?.namespace}/${ref.name}`] : [];
  };
  return newReconciler(ctx, 'statefulset', { workers: 2 })
    .for('statefulsets')
    .owns('pods')
    .watches<KObject>('controllerrevisions', ownerKey)
    .complete((key) => sync.sync(key));
}

class StatefulSetSync {
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('statefulset-controller');
  }

  async sync(key: string): Promise<ReconcileResult | undefined> {
    const set = this.ctx.informers.statefulsets.get(key);
    if (!set) return;
    const pods = this.ctx.informers.pods.byIndex(BY_CONTROLLER, set.metadata?.uid ?? '');
    const history = ownedRevisions(this.ctx, set as KObject);
    const { update, collisionCount } = await ensureRevision(this.ctx, set as KObject, set.spec?.template, history, set.status?.collisionCount ?? 0);
    const updateName = update.metadata?.name ?? '';
    const current = history.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    const currentName = current.metadata?.name ?? '';
    const plan = planStatefulSet({ set, pods, currentRevision: currentName, updateRevision: updateName, currentReplicas: set.status?.currentReplicas ?? 0 });
    const create = (i: number) => {
      const { ordinal, current: atCurrent } = plan.create[i];
      const template = atCurrent ? templateOf(current) : set.spec?.template ?? {};
      return this.createPod(set, newStatefulPod(set, template, atCurrent ? currentName : updateName, ordinal), ordinal);
    };
    if (set.spec?.podManagementPolicy === 'Parallel') {
      // Kubernetes' runForAll when not monotonic: slowStartBatch over the pods to create.
      const { failures } = await slowStartBatch(plan.create.length, create);
      if (failures.length) throw failures[0];
    } else {
      for (let i = 0; i < plan.create.length; i++) await create(i);
    }
    for (const p of plan.condemn) await this.condemn(set, p);
    for (const p of plan.remove) await this.deletePod(set, p);
    const status = statefulSetStatus(set, pods, currentName, updateName, collisionCount);
    await this.writeStatus(set, status);
    const live = new Set([currentName, updateName, status.currentRevision ?? '', ...pods.map(revisionOfPod)]);
    await truncateHistory(this.ctx, [...history.filter((r) => r.metadata?.name !== updateName), update], live, set.spec?.revisionHistoryLimit ?? 10);
    const minReady = set.spec?.minReadySeconds ?? 0;
    return minReady && (status.readyReplicas ?? 0) !== (status.availableReplicas ?? 0) ? { requeueAfter: minReady * 1000 } : undefined;
  }

  private claimsRef(): ResourceRef {
    return refFor('', 'v1', 'persistentvolumeclaims');
  }

  /** createPersistentVolumeClaims then the pod; a claim that exists already is the pod's (kept across replacements). */
  private async createPod(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    const owners: OwnerReference[] = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete' ? [plainOwnerRef(set as KObject)] : [];
    for (const claim of claimsFor(set, ordinal, owners)) {
      try {
        await this.ctx.client.create<PersistentVolumeClaim>(this.claimsRef(), claim, { namespace: set.metadata?.namespace });
        this.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata?.name ?? ''} Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} success`);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        this.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata?.name ?? ''} for Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${message(e)}`);
        throw e;
      }
    }
    try {
      await this.ctx.client.create<Pod>(R.pods, pod, { namespace: set.metadata?.namespace });
      this.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} successful`);
    } catch (e) {
      if (isAlreadyExists(e)) return; // the cache lags behind a pod created a moment ago
      this.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${message(e)}`);
      throw e;
    }
  }

  /**
   * A pod scaled away; with whenScaled Delete its claims are first owned by the pod alone of the two (the set's
   * reference, there under whenDeleted Delete, is removed: the garbage collector deletes an object only once every
   * owner is gone), as updateClaimOwnerRefForSetAndPod does for a condemned pod.
   */
  private async condemn(set: StatefulSet, pod: Pod): Promise<void> {
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
      for (const claim of claimsFor(set, ordinalOf(set, pod), [])) {
        const name = claim.metadata!.name!;
        const existing = await ignoreNotFound(this.ctx.client.get<PersistentVolumeClaim>(this.claimsRef(), name, set.metadata?.namespace));
        if (!existing) continue;
        const refs = existing.metadata?.ownerReferences ?? [];
        const owned = refs.some((r) => r.uid === pod.metadata?.uid);
        const others = refs.filter((r) => r.uid !== set.metadata?.uid);
        if (owned && others.length === refs.length) continue;
        const ownerReferences = owned ? others : [...others, plainOwnerRef(pod as KObject)];
        await ignoreNotFound(this.ctx.client.patch(this.claimsRef(), name, { metadata: { ownerReferences } }, 'merge', { namespace: set.metadata?.namespace }));
      }
    }
    await this.deletePod(set, pod);
  }

  /** Deletes the pod seen, never a successor of the same name (uid precondition). */
  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    try {
      await ignoreNotFound(this.ctx.client.delete(R.pods, name, { namespace: pod.metadata?.namespace, preconditions: { uid: pod.metadata?.uid } }));
      this.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${set.metadata?.name ?? ''} successful`);
    } catch (e) {
      this.event(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${message(e)}`);
      throw e;
    }
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (sameStatefulSetStatus(set.status, status)) return;
    const body: Record<string, unknown> = { ...status };
    // Zero counts are left out, as Go's omitempty does for these.
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!status[k]) body[k] = null;
    await ignoreNotFound(this.ctx.client.patch(R.statefulsets, set.metadata!.name!, { status: body }, 'merge', { namespace: set.metadata!.namespace, subresource: 'status' }));
  }

  private event(set: StatefulSet, type: 'Normal' | 'Warning', reason: string, msg: string): void {
    this.recorder.event(set, type, reason, msg);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
