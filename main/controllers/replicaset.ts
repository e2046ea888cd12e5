// The ReplicaSet controller: keeps spec.replicas active pods that match the selector and that the
// ReplicaSet controls (ownerReferences controller=true, blockOwnerDeletion), deleting not-ready
// and newest pods first, and reports status (replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas, observedGeneration).
import type { KObject, Pod, ReplicaSet, ReplicaSetStatus } from '../api/types';
import { selectorFromLabelSelector, selectorFromSet } from '../api/labels';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { Expectations } from './expectations';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { compareForDeletion } from './pod-ranking';
import { controllerRef, isPodActive, isPodAvailable, isPodReady, ownerRefFor } from './pod-util';
import { R, keyOf, splitKey } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

const BURST_REPLICAS = 500;
/** Pod status changes only move the ReplicaSet's status: coalesce them (client-go's queue does the same under load). */
const STATUS_COALESCE_MS = 100;

export function newReplicaSetController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const rsInf = informers.replicasets;
  const podInf = informers.pods;
  const queue = new WorkQueue<string>();
  const exp = new Expectations();
  const recorder = ctx.recorder('replicaset-controller');

  const ownerKey = (pod: Pod): string | undefined => {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = rsInf.getByName(pod.metadata?.namespace, ref.name);
    return rs && rs.metadata?.uid === ref.uid ? keyOf(rs) : undefined;
  };

  function register(): () => void {
    const offs = [
      rsInf.addHandler({
        add: (rs) => queue.add(keyOf(rs)),
        update: (_o, rs) => queue.add(keyOf(rs)),
        delete: (rs) => {
          exp.delete(keyOf(rs));
          queue.add(keyOf(rs));
        },
      }),
      podInf.addHandler({
        add: (p) => {
          const k = ownerKey(p);
          if (!k) return;
          if (p.metadata?.deletionTimestamp) exp.observedDel(k);
          else exp.observedAdd(k);
          queue.add(k);
        },
        update: (o, p) => {
          const k = ownerKey(p);
          if (!k) return;
          if (p.metadata?.deletionTimestamp && !o.metadata?.deletionTimestamp) {
            exp.observedDel(k);
            queue.add(k);
          } else queue.addAfter(k, STATUS_COALESCE_MS);
        },
        delete: (p) => {
          const k = ownerKey(p);
          if (!k) return;
          if (!p.metadata?.deletionTimestamp) exp.observedDel(k);
          queue.add(k);
        },
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  async function sync(key: string): Promise<void> {
    const rs = rsInf.get(key);
    if (!rs) return;
    const selector = selectorFromLabelSelector(rs.spec?.selector);
    const owned = podInf.byIndex(BY_CONTROLLER, rs.metadata?.uid ?? '');
    const active = owned.filter(isPodActive);
    if (exp.satisfied(key) && !rs.metadata?.deletionTimestamp) await manage(rs, active, key);
    // Status counts the active pods, as calculateStatus does (FilterActivePods: not terminated, not terminating).
    await updateStatus(rs, active, selector.empty ? undefined : rs);
  }

  async function manage(rs: ReplicaSet, active: Pod[], key: string): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      exp.expect(key, n, 0);
      // Slow start: batches of 1, 2, 4, … so a failing create does not flood the API.
      let done = 0;
      let batch = 1;
      while (done < n) {
        const size = Math.min(batch, n - done);
        const results = await Promise.allSettled(Array.from({ length: size }, () => createPod(rs)));
        const failed = results.filter((r) => r.status === 'rejected');
        done += size;
        if (failed.length) {
          for (let i = 0; i < failed.length + (n - done); i++) exp.observedAdd(key);
          const err = (failed[0] as PromiseRejectedResult).reason as unknown;
          recorder.event(rs as KObject, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
        batch *= 2;
      }
    } else if (diff > 0) {
      const victims = [...active].sort(compareForDeletion).slice(0, Math.min(diff, BURST_REPLICAS));
      exp.expect(key, 0, victims.length);
      await Promise.all(victims.map(async (p) => {
        try {
          await client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace });
          recorder.event(rs as KObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name!}`);
        } catch (e) {
          exp.observedDel(key);
          if (!isNotFound(e)) throw e;
        }
      }));
    }
  }

  async function createPod(rs: ReplicaSet): Promise<void> {
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
    const created = await client.create(R.pods, pod as KObject, { namespace: rs.metadata!.namespace });
    recorder.event(rs as KObject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
  }

  async function updateStatus(rs: ReplicaSet, pods: Pod[], labelled: ReplicaSet | undefined): Promise<void> {
    const tmplLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const status: ReplicaSetStatus = {
      replicas: pods.length,
      fullyLabeledReplicas: labelled ? pods.filter((p) => tmplLabels.matches(p.metadata?.labels)).length : pods.length,
      readyReplicas: pods.filter(isPodReady).length,
      availableReplicas: pods.filter((p) => isPodAvailable(p, minReady)).length,
      observedGeneration: rs.metadata?.generation ?? 0,
    };
    if (minReady) {
      const waiting = pods.filter((p) => isPodReady(p) && !isPodAvailable(p, minReady));
      if (waiting.length) queue.addAfter(keyOf(rs), minReady * 1000);
    }
    const cur: ReplicaSetStatus = rs.status ?? { replicas: 0 };
    if (cur.replicas === status.replicas && cur.fullyLabeledReplicas === status.fullyLabeledReplicas && cur.readyReplicas === status.readyReplicas &&
      cur.availableReplicas === status.availableReplicas && cur.observedGeneration === status.observedGeneration) return;
    const { namespace, name } = splitKey(keyOf(rs));
    try {
      await client.patch(R.replicasets, name, { status: { ...status, conditions: cur.conditions ?? null } }, 'merge', { namespace, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return {
    name: 'replicaset',
    register,
    run: () => runWorkers(queue, 4, sync, (k, e) => ctx.log(`replicaset ${k}: ${e instanceof Error ? e.message : String(e)}`)),
  };
}
