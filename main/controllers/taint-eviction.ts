// NoExecute taint eviction (the taint manager): pods on a node with NoExecute taints they do not
// tolerate are deleted at once; pods that tolerate them for tolerationSeconds are deleted that
// long after the taint was added; pods that tolerate them forever stay.
import type { Node, Pod, Taint, Toleration } from '../api/types';
import { tolerates } from '../api/tolerations';
import { BY_NODE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { shortTime } from './pod-util';

/** When the pod must go (ms since epoch), Infinity to stay, or undefined when no NoExecute taint applies. */
export function evictionTime(pod: Pod, taints: Taint[]): number | undefined {
  const noExec = taints.filter((t) => t.effect === 'NoExecute');
  if (!noExec.length) return undefined;
  let at = Infinity;
  for (const taint of noExec) {
    const tols = (pod.spec?.tolerations ?? []).filter((t: Toleration) => tolerates(t, taint));
    if (!tols.length) return 0;
    const secs = tols.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (secs.length < tols.length) continue; // tolerated forever by one of them
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : Date.now();
    at = Math.min(at, added + Math.max(0, Math.min(...secs)) * 1000);
  }
  return at;
}

export function newTaintEvictionController(ctx: ControllerContext): Controller {
  const pods = ctx.informers.pods;
  const nodes = ctx.informers.nodes;
  const recorder = ctx.recorder('taint-eviction-controller');
  const bound = (p: Pod) => !!p.spec?.nodeName;
  const taintsChanged = (o: Node, n: Node) => JSON.stringify(o.spec?.taints ?? []) !== JSON.stringify(n.spec?.taints ?? []);

  async function reconcile(key: string): Promise<ReconcileResult | undefined> {
    const p = pods.get(key);
    if (!p || !p.spec?.nodeName || p.metadata?.deletionTimestamp) return;
    const n = nodes.get(p.spec.nodeName);
    if (!n) return;
    const at = evictionTime(p, n.spec?.taints ?? []);
    if (at === undefined || at === Infinity) return;
    const wait = at - Date.now();
    if (wait > 0) return { requeueAfter: wait + 5 };
    recorder.event(p, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    // addConditionAndDeletePod: DisruptionTarget=True (DeletionByTaintManager) on the status, then the delete.
    const condition = {
      type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: shortTime(),
    };
    const namespace = p.metadata!.namespace;
    await ignoreNotFound(ctx.client.patch(R.pods, p.metadata!.name!, { status: { conditions: [condition] } }, 'strategic', { namespace, subresource: 'status' }));
    await ignoreNotFound(ctx.client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace, preconditions: { uid: p.metadata!.uid } }));
  }

  return newReconciler(ctx, 'taint-eviction', { workers: 2 })
    .for<Pod>('pods', { add: bound, update: (o, p) => bound(p) && (!bound(o) || JSON.stringify(o.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations)), delete: () => false })
    .watches<Node>('nodes', (n) => pods.byIndex(BY_NODE, n.metadata?.name ?? '').map(keyOf), { update: taintsChanged, delete: () => false })
    .complete(reconcile);
}
