// The ReplicaSet controller: keeps spec.replicas active pods that match the selector and that the
// ReplicaSet controls (ownerReferences controller=true, blockOwnerDeletion), deleting not-ready
// and newest pods first, and reports status (replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas, observedGeneration) counting the active pods.
import type { KObject, Pod, ReplicaSet, ReplicaSetStatus } from '../api/types';
import { selectorFromLabelSelector, selectorFromSet } from '../api/labels';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
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

const BURST_REPLICAS = 500;
/** Pod status changes only move the ReplicaSet's status: coalesce them (client-go's queue does the same under load). */
const STATUS_COALESCE_MS = 100;

export function newReplicaSetController(ctx: ControllerContext): Controller {
  const rsc = new ReplicaSetSync(ctx);
  const deletionStarted = (o: Pod, p: Pod) => !!p.metadata?.deletionTimestamp && !o.metadata?.deletionTimestamp;
  const builder = newReconciler(ctx, 'replicaset', { workers: 4 });
  const controller = builder
    .for('replicasets')
    .owns<Pod>('pods', { update: deletionStarted })
    .complete((key) => rsc.sync(key));
  return withExtras(controller, { register: () => ctx.informers.pods.addHandler(rsc.podEvents(builder.queue, deletionStarted)) });
}

class ReplicaSetSync {
  private readonly exp = new Expectations();
  private readonly pods: PodControl;

  constructor(private readonly ctx: ControllerContext) {
    this.pods = new PodControl(ctx.client, ctx.recorder('replicaset-controller'));
  }

  /** The key of the ReplicaSet that controls the pod (the one with the ownerReference's uid). */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.ctx.informers.replicasets.getByName(pod.metadata?.namespace, ref.name);
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
    const rs = this.ctx.informers.replicasets.get(key);
    if (!rs) {
      this.exp.delete(key);
      return;
    }
    const active = this.ctx.informers.pods.byIndex(BY_CONTROLLER, rs.metadata?.uid ?? '').filter(isPodActive);
    if (this.exp.satisfied(key) && !rs.metadata?.deletionTimestamp) await this.manage(rs, active, key);
    await this.updateStatus(rs, active);
    return this.availabilityRecheck(rs, active);
  }

  private async manage(rs: ReplicaSet, active: Pod[], key: string): Promise<void> {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) await this.createPods(rs, Math.min(-diff, BURST_REPLICAS), key);
    else if (diff > 0) await this.deletePods(rs, [...active].sort(compareForDeletion).slice(0, Math.min(diff, BURST_REPLICAS)), key);
  }

  /** Slow start (slow-start.ts): batches of 1, 2, 4, … so that a failing create does not flood the API. */
  private async createPods(rs: ReplicaSet, n: number, key: string): Promise<void> {
    this.exp.expect(key, n, 0);
    const { attempted, failures } = await slowStartBatch(n, () => this.createPod(rs));
    if (!failures.length) return;
    // The creates that failed or were skipped will never be observed.
    for (let i = 0; i < failures.length + (n - attempted); i++) this.exp.observedAdd(key);
    throw failures[0];
  }

  private async createPod(rs: ReplicaSet): Promise<void> {
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

  private async deletePods(rs: ReplicaSet, victims: Pod[], key: string): Promise<void> {
    this.exp.expect(key, 0, victims.length);
    await Promise.all(victims.map((p) => this.pods.delete(rs as KObject, p, this.exp, key)));
  }

  private async updateStatus(rs: ReplicaSet, pods: Pod[]): Promise<void> {
    const status = statusOf(rs, pods);
    const cur: ReplicaSetStatus = rs.status ?? { replicas: 0 };
    const fields = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const;
    if (fields.every((f) => cur[f] === status[f])) return;
    await ignoreNotFound(this.ctx.client.patch(R.replicasets, rs.metadata!.name!, { status: { ...status, conditions: cur.conditions ?? null } }, 'merge', { namespace: rs.metadata!.namespace, subresource: 'status' }));
  }

  /** Ready pods that are not yet available become so minReadySeconds later: look again then. */
  private availabilityRecheck(rs: ReplicaSet, pods: Pod[]): ReconcileResult | undefined {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (!minReady || !pods.some((p) => isPodReady(p) && !isPodAvailable(p, minReady))) return undefined;
    return { requeueAfter: minReady * 1000 };
  }
}

/** calculateStatus: counts over the active pods the ReplicaSet controls. */
function statusOf(rs: ReplicaSet, pods: Pod[]): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  const selectorEmpty = selectorFromLabelSelector(rs.spec?.selector).empty;
  return {
    replicas: pods.length,
    fullyLabeledReplicas: selectorEmpty ? pods.length : pods.filter((p) => templateLabels.matches(p.metadata?.labels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady)).length,
    observedGeneration: rs.metadata?.generation ?? 0,
  };
}
