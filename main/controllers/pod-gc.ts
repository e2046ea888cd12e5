// Pod garbage collection: pods bound to a node that no longer exists are force-deleted
// (gracePeriodSeconds 0), whether terminating or not — there is no kubelet left to confirm.
import type { KObject } from '../api/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { BY_NODE } from '../client/cache/shared-informers';
import { R, keyOf } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

export function newPodGCController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const nodeInf = informers.nodes;
  const podInf = informers.pods;
  const queue = new WorkQueue<string>();
  const recorder = ctx.recorder('pod-garbage-collector');

  function register(): () => void {
    const offs = [
      nodeInf.addHandler({ delete: (n) => { for (const p of podInf.byIndex(BY_NODE, n.metadata!.name!)) queue.add(keyOf(p)); } }),
      podInf.addHandler({
        add: (p) => { if (p.spec?.nodeName && !nodeInf.get(p.spec.nodeName)) queue.addAfter(keyOf(p), 1000); },
        update: (o, p) => { if (p.spec?.nodeName && !o.spec?.nodeName && !nodeInf.get(p.spec.nodeName)) queue.addAfter(keyOf(p), 1000); },
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  async function sync(key: string): Promise<void> {
    const p = podInf.get(key);
    const node = p?.spec?.nodeName;
    if (!p || !node || nodeInf.get(node)) return;
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

  return { name: 'pod-gc', register, run: () => runWorkers(queue, 2, sync, (k, e) => ctx.log(`pod-gc ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
