// The namespace controller: a namespace being deleted has everything in it deleted; once it is
// empty its spec.finalizers are emptied through the finalize subresource, and it goes away.
import type { KObject, Namespace } from '../api/types';
import { RESOURCES } from '../api/resources';
import { isNotFound } from '../client/types';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

const NAMESPACED = RESOURCES.filter((r) => r.namespaced && !r.virtual && r.verbs.includes('delete'));
/** How soon a namespace whose contents are still going away is looked at again. */
const RECHECK_MS = 500;

export function newNamespaceController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const namespaces = informers.namespaces;
  const terminating = (n: Namespace): boolean => !!n.metadata?.deletionTimestamp;

  async function reconcile(name: string): Promise<ReconcileResult | undefined> {
    const ns = namespaces.get(name);
    if (!ns || !terminating(ns)) return;
    let remaining = 0;
    for (const r of NAMESPACED) {
      const list = await client.list(r, { namespace: name });
      for (const item of list.items) {
        remaining++;
        if (item.metadata?.deletionTimestamp) continue;
        try {
          await client.delete(r, item.metadata!.name!, { namespace: name, propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    if (remaining) return { requeueAfter: RECHECK_MS };
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

  return newReconciler(ctx, 'namespace', { workers: 2 })
    .for<Namespace>('namespaces', { add: terminating, update: (_o, n) => terminating(n), delete: () => false })
    .complete(reconcile);
}
