// Pod garbage collection: pods bound to a node that no longer exists are force-deleted
// (gracePeriodSeconds 0), whether terminating or not — there is no kubelet left to confirm.
import type { KObject, Node, Pod } from '../api/types';
import { isNotFound } from '../client/types';
import { BY_NODE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

export function newPodGCController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const nodes = informers.nodes;
  const pods = informers.pods;
  const recorder = ctx.recorder('pod-garbage-collector');
  const orphaned = (p: Pod): boolean => !!p.spec?.nodeName && !nodes.get(p.spec.nodeName);

  async function reconcile(key: string): Promise<void> {
    const p = pods.get(key);
    const node = p?.spec?.nodeName;
    if (!p || !node || nodes.get(node)) return;
    // The cache may lag: ask the API before force-deleting.
    try {
      await client.get(R.nodes, node);
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    recorder.event(p as KObject, 'Normal', 'PodGCDeleted', `Deleted pod ${key} bound to node ${node} which no longer exists`);
    try {
      await client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace, gracePeriodSeconds: 0, preconditions: { uid: p.metadata!.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return newReconciler(ctx, 'pod-gc', { workers: 2 })
    .for<Pod>('pods', { add: orphaned, update: (o, p) => orphaned(p) && !o.spec?.nodeName, delete: () => false })
    .watches<Node>('nodes', (n) => pods.byIndex(BY_NODE, n.metadata?.name ?? '').map(keyOf), { add: () => false, update: () => false })
    .complete(reconcile);
}
