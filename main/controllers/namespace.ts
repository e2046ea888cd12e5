// The namespace controller: a namespace being deleted has everything in it deleted; once it is
// empty its spec.finalizers are emptied through the finalize subresource, and it goes away.
import type { KObject, Namespace } from '../api/types';
import { RESOURCES } from '../api/resources';
import type { ResourceRef } from '../client/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { R } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

const NAMESPACED = RESOURCES.filter((r) => r.namespaced && !r.virtual && r.verbs.includes('delete'));
const RETRY_MS = 500;

export function newNamespaceController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const nsInf = informers.namespaces;
  const queue = new WorkQueue<string>();

  function register(): () => void {
    return nsInf.addHandler({
      add: (n) => { if (n.metadata?.deletionTimestamp) queue.add(n.metadata.name!); },
      update: (_o, n) => { if (n.metadata?.deletionTimestamp) queue.add(n.metadata.name!); },
    });
  }

  async function sync(name: string): Promise<void> {
    const ns = nsInf.get(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    let remaining = 0;
    for (const r of NAMESPACED) {
      const list = await client.list(r as ResourceRef, { namespace: name });
      for (const item of list.items) {
        remaining++;
        if (item.metadata?.deletionTimestamp) continue;
        try {
          await client.delete(r as ResourceRef, item.metadata!.name!, { namespace: name, propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    if (remaining) return queue.addAfter(name, RETRY_MS);
    let cur: Namespace & KObject;
    try {
      cur = await client.get<Namespace & KObject>(R.namespaces, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const fins = (cur.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    if (fins.length === (cur.spec?.finalizers ?? []).length) return;
    await client.update<Namespace & KObject>(R.namespaces, { ...cur, spec: { ...cur.spec, finalizers: fins } }, { subresource: 'finalize' });
  }

  return { name: 'namespace', register, run: () => runWorkers(queue, 2, sync, (k, e) => ctx.log(`namespace ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
