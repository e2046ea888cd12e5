// The ReplicaSet controller: keeps spec.replicas active pods that match the selector and that the
// ReplicaSet controls (ownerReferences controller=true, blockOwnerDeletion), deleting not-ready
// and newest pods first, and reports status (replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas, observedGeneration) counting the active pods. The same logic runs
// ReplicationControllers (replication-controller.ts), as Kubernetes' ReplicationManager does.
import type { KObject, Pod, ReplicaSet, ReplicaSetStatus, ReplicationController } from '../api/types';
import type { ReplicaSetCondition } from 'kubernetes-types/apps/v1';
import { rfc3339Seconds } from '../api/timestamp';
import { selectorFromLabelSelector, selectorFromSet } from '../api/labels';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import type { Informer } from '../client/cache/informer';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { WorkQueue } from '../client/workqueue';
import type { Controller, ControllerContext } from './controller';
import { Expectations, podObserver } from './expectations';
import { withExtras } from './extras';
import { PodControl } from './pod-control';
import { ignoreNotFound } from './ignore-not-found';
import { compareForDeletion } from './pod-ranking';
import { controllerRef, isPodActive, isPodAvailable, isPodReady, ownerRefFor } from './pod-util';
import { slowStartBatch } from './slow-start';
import { asError } from '../protocol/as-error';

const BURST_REPLICAS = 500;
/** Pod status changes only move the ReplicaSet's status: coalesce them (client-go's queue does the same under load). */
const STATUS_COALESCE_MS = 100;

/** A ReplicaSet or a ReplicationController: the same fields but for the selector's shape. */
export type Replicated = ReplicaSet | ReplicationController;

/** What differs between the kinds the replica logic runs. */
export interface ReplicatedKind {
  resource: 'replicasets' | 'replicationcontrollers';
  kind: string;
  /** The controller's name and the events' source component. */
  controller: string;
  component: string;
  /** Whether the object's selector is empty (every pod's labels then count as full). */
  selectorEmpty(o: Replicated): boolean;
}

const REPLICA_SET: ReplicatedKind = {
  resource: 'replicasets', kind: 'ReplicaSet', controller: 'replicaset', component: 'replicaset-controller',
  selectorEmpty: (o) => selectorFromLabelSelector((o as ReplicaSet).spec?.selector).empty,
};

export function newReplicaSetController(ctx: ControllerContext): Controller {
  return newReplicaController(ctx, REPLICA_SET);
}

/** The replica controller for one kind: its objects, the pods they own, and the pods' status changes coalesced. */
export function newReplicaController(ctx: ControllerContext, kind: ReplicatedKind): Controller {
  const rsc = new ReplicaSync(ctx, kind);
  const deletionStarted = (o: Pod, p: Pod) => !!p.metadata?.deletionTimestamp && !o.metadata?.deletionTimestamp;
  const builder = newReconciler(ctx, kind.controller, { workers: 4 });
  const controller = builder
    .for(kind.resource)
    .owns<Pod>('pods', { update: deletionStarted })
    .complete((key) => rsc.sync(key));
  return withExtras(controller, { register: () => ctx.informers.pods.addHandler(rsc.podEvents(builder.queue, deletionStarted)) });
}

class ReplicaSync {
  private readonly exp = new Expectations();
  private readonly pods: PodControl;
  private readonly objects: Informer<Replicated>;

  constructor(private readonly ctx: ControllerContext, private readonly kind: ReplicatedKind) {
    this.pods = new PodControl(ctx.client, ctx.recorder(kind.component));
    this.objects = ctx.informers.informer(kind.resource) as unknown as Informer<Replicated>;
  }

  /** The key of the object of this kind that controls the pod (the one with the ownerReference's uid). */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const rs = this.objects.getByName(pod.metadata?.namespace, ref.name);
    return rs && rs.metadata?.uid === ref.uid ? keyOf(rs) : undefined;
  }

  /** Expectations from pod events, and pod status changes coalesced into one delayed sync. */
  podEvents(queue: WorkQueue<string>, deletionStarted: (o: Pod, p: Pod) => boolean) {
    const observer = podObserver(this.exp, (p) => this.ownerKey(p));
    return {
      ...observer,
      update: (o: Pod, p: Pod) => {
        observer.update!(o, p);
        const k = deletionStarted(o, p) ? undefined : this.ownerKey(p);
        if (k) queue.addAfter(k, STATUS_COALESCE_MS);
      },
    };
  }

  async sync(key: string): Promise<ReconcileResult | undefined> {
    const rs = this.objects.get(key);
    if (!rs) {
      this.exp.delete(key);
      return;
    }
    const active = this.ctx.informers.pods.byIndex(BY_CONTROLLER, rs.metadata?.uid ?? '').filter(isPodActive);
    // syncReplicaSet: the status is written whether or not the creates and deletes went through (a quota refusing a
    // pod still leaves the counts and observedGeneration true), with the failure as a ReplicaFailure condition; the
    // error is returned after it, so the key is retried with back-off.
    let failure: Error | undefined;
    if (this.exp.satisfied(key) && !rs.metadata?.deletionTimestamp) {
      try { await this.manage(rs, active, key); } catch (err) { failure = asError(err); }
    }
    await this.updateStatus(rs, active, failure);
    if (failure !== undefined) throw failure;
    return this.availabilityRecheck(rs, active);
  }

  private async manage(rs: Replicated, active: Pod[], key: string): Promise<void> {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) await this.createPods(rs, Math.min(-diff, BURST_REPLICAS), key);
    else if (diff > 0) await this.deletePods(rs, [...active].sort(compareForDeletion).slice(0, Math.min(diff, BURST_REPLICAS)), key);
  }

  /** Slow start (slow-start.ts): batches of 1, 2, 4, … so that a failing create does not flood the API. */
  private async createPods(rs: Replicated, n: number, key: string): Promise<void> {
    this.exp.expect(key, n, 0);
    const { attempted, failures } = await slowStartBatch(n, () => this.createPod(rs));
    if (!failures.length) return;
    // The creates that failed or were skipped will never be observed.
    for (let i = 0; i < failures.length + (n - attempted); i++) this.exp.observedAdd(key);
    throw failures[0];
  }

  private async createPod(rs: Replicated): Promise<void> {
    const t = rs.spec?.template ?? {};
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata!.name!}-`, namespace: rs.metadata!.namespace,
        labels: { ...(t.metadata?.labels ?? {}) },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ...(t.metadata?.finalizers ? { finalizers: [...t.metadata.finalizers] } : {}),
        ownerReferences: [ownerRefFor(rs as KObject)],
      },
      spec: structuredClone(t.spec ?? { containers: [] }),
    };
    await this.pods.create(rs as KObject, pod);
  }

  private async deletePods(rs: Replicated, victims: Pod[], key: string): Promise<void> {
    this.exp.expect(key, 0, victims.length);
    await Promise.all(victims.map((p) => this.pods.delete(rs as KObject, p, this.exp, key)));
  }

  private async updateStatus(rs: Replicated, pods: Pod[], failure: Error | undefined): Promise<void> {
    const status = statusOf(rs, pods, this.kind.selectorEmpty(rs));
    const cur: ReplicaSetStatus = rs.status ?? { replicas: 0 };
    const before = cur.conditions ?? [];
    const conditions = replicaFailure(before, rs, pods.length, failure, new Date());
    const fields = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const;
    // A zero count is stored left out (omitempty), so an absent one is 0.
    if (fields.every((f) => (cur[f] ?? 0) === (status[f] ?? 0)) && conditions === before) return;
    await ignoreNotFound(this.ctx.client.patch(R[this.kind.resource], rs.metadata!.name!, { status: { ...status, conditions: conditions.length ? conditions : null } }, 'merge', { namespace: rs.metadata!.namespace, subresource: 'status' }));
  }

  /** Ready pods that are not yet available become so minReadySeconds later: look again then. */
  private availabilityRecheck(rs: Replicated, pods: Pod[]): ReconcileResult | undefined {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (!minReady || !pods.some((p) => isPodReady(p) && !isPodAvailable(p, minReady))) return undefined;
    return { requeueAfter: minReady * 1000 };
  }
}

/**
 * calculateStatus's ReplicaFailure condition: added (reason FailedCreate or FailedDelete, the error's message) when
 * creating or deleting pods failed and there is none yet, removed once a sync goes through; otherwise the same array
 * (same reference: nothing to write).
 */
function replicaFailure(conds: ReplicaSetCondition[], rs: Replicated, active: number, failure: Error | undefined, now: Date): ReplicaSetCondition[] {
  const has = conds.some((c) => c.type === 'ReplicaFailure');
  if (failure === undefined) return has ? conds.filter((c) => c.type !== 'ReplicaFailure') : conds;
  if (has) return conds;
  const diff = active - (rs.spec?.replicas ?? 1);
  const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
  return [...conds, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339Seconds(now), reason, message: failure.message }];
}

/** calculateStatus: counts over the active pods the ReplicaSet controls. */
function statusOf(rs: Replicated, pods: Pod[], selectorEmpty: boolean): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  return {
    replicas: pods.length,
    fullyLabeledReplicas: selectorEmpty ? pods.length : pods.filter((p) => templateLabels.matches(p.metadata?.labels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady)).length,
    observedGeneration: rs.metadata?.generation ?? 0,
  };
}
