// Pod garbage collection: pods bound to a node that no longer exists are force-deleted
// (gracePeriodSeconds 0), whether terminating or not — there is no kubelet left to confirm.
// A pod that shows up bound to an unknown node waits out a short quarantine first (Kubernetes'
// PodGC waits 40 s; a node that is still registering must not lose its pods), while the pods of
// a node that was deleted go at once.
import type { Node, Pod } from '../api/types';
import { isNotFound } from '../client/types';
import { BY_NODE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { ReconcileResult } from '../client/reconciler';
import type { Controller, ControllerContext } from './controller';

/** How long a pod bound to a node nobody has seen is left alone. */
export const ORPHAN_QUARANTINE_MS = 1000;

export function newPodGCController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const nodes = informers.nodes;
  const pods = informers.pods;
  const recorder = ctx.recorder('pod-garbage-collector');
  const orphaned = (p: Pod): boolean => !!p.spec?.nodeName && !nodes.get(p.spec.nodeName);
  // Pod key → when it was first seen orphaned (0: its node was deleted, no quarantine).
  const quarantine = new Map<string, number>();

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const p = pods.get(key);
    const node = p?.spec?.nodeName;
    if (!p || !node || nodes.get(node)) {
      quarantine.delete(key);
      return;
    }
    const since = quarantine.get(key) ?? Date.now();
    quarantine.set(key, since);
    const wait = since + ORPHAN_QUARANTINE_MS - Date.now();
    if (since > 0 && wait > 0) return { requeueAfter: wait };
    // The cache may lag: ask the API before force-deleting.
    try {
      await client.get(R.nodes, node);
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    quarantine.delete(key);
    recorder.event(p, 'Normal', 'PodGCDeleted', `Deleted pod ${key} bound to node ${node} which no longer exists`);
    try {
      await client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace, gracePeriodSeconds: 0, preconditions: { uid: p.metadata!.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  function podsOfDeletedNode(n: Node): string[] {
    const keys = pods.byIndex(BY_NODE, n.metadata?.name ?? '').map(keyOf);
    for (const k of keys) quarantine.set(k, 0);
    return keys;
  }

  return newReconciler(ctx, 'pod-gc', { workers: 2 })
    .for<Pod>('pods', { add: orphaned, update: (o, p) => orphaned(p) && !o.spec?.nodeName, delete: () => false })
    .watches<Node>('nodes', (n) => podsOfDeletedNode(n), { add: () => false, update: () => false })
    .complete(reconcile);
}
