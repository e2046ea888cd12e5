// NoExecute taint eviction (the taint manager): pods on a node with NoExecute taints they do not
// tolerate are deleted at once; pods that tolerate them for tolerationSeconds are deleted that
// long after the taint was added; pods that tolerate them forever stay.
import type { KObject, Pod, Taint, Toleration } from '../api/types';
import { isNotFound } from '../client/types';
import { tolerates } from '../api/tolerations';
import type { Controller, ControllerContext } from './controller';
import { BY_NODE } from '../client/cache/shared-informers';
import { R, keyOf } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

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
  const { client, informers } = ctx;
  const nodeInf = informers.nodes;
  const podInf = informers.pods;
  const queue = new WorkQueue<string>();
  const recorder = ctx.recorder('taint-eviction-controller');

  function register(): () => void {
    const offs = [
      nodeInf.addHandler({
        add: (n) => { for (const p of podInf.byIndex(BY_NODE, n.metadata!.name!)) queue.add(keyOf(p)); },
        update: (o, n) => {
          if (JSON.stringify(o.spec?.taints ?? []) === JSON.stringify(n.spec?.taints ?? [])) return;
          for (const p of podInf.byIndex(BY_NODE, n.metadata!.name!)) queue.add(keyOf(p));
        },
      }),
      podInf.addHandler({
        add: (p) => { if (p.spec?.nodeName) queue.add(keyOf(p)); },
        update: (o, p) => { if (p.spec?.nodeName && (!o.spec?.nodeName || JSON.stringify(o.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations))) queue.add(keyOf(p)); },
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  async function sync(key: string): Promise<void> {
    const p = podInf.get(key);
    if (!p || !p.spec?.nodeName || p.metadata?.deletionTimestamp) return;
    const n = nodeInf.get(p.spec.nodeName);
    if (!n) return;
    const at = evictionTime(p, n.spec?.taints ?? []);
    if (at === undefined || at === Infinity) return;
    const wait = at - Date.now();
    if (wait > 0) return queue.addAfter(key, wait + 5);
    recorder.event(p as KObject, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      await client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace, preconditions: { uid: p.metadata!.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return { name: 'taint-eviction', register, run: () => runWorkers(queue, 2, sync, (k, e) => ctx.log(`taint-eviction ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
