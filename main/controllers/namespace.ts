// The namespace controller: a namespace being deleted has everything in it deleted — every namespaced resource served
// now, custom resources included — and shows what remains in its conditions (namespace-conditions.ts); once it is
// empty its spec.finalizers are emptied through the finalize subresource, and it goes away.
import type { KObject, Namespace } from '../api/types';
import { rfc3339Seconds } from '../api/timestamp';
import type { ResourceRef } from '../client/types';
import { isNotFound } from '../client/types';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, servedRefs } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import type { ContentTotals } from './namespace-conditions';
import { deletionConditions } from './namespace-conditions';

/** How soon a namespace whose contents are still going away is looked at again. */
const RECHECK_MS = 500;

/** Every namespaced resource that can be listed and deleted, as served now (a CRD's too), once each. */
const namespacedResources = (): Iterable<ResourceRef> => servedRefs((r) => r.namespaced && r.verbs.includes('list') && r.verbs.includes('delete')).values();

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export function newNamespaceController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const namespaces = informers.namespaces;
  const terminating = (n: Namespace): boolean => !!n.metadata?.deletionTimestamp;

  /** Deletes what is not yet being deleted, then counts what is left (deleteAllContentForGroupVersionResource). */
  async function deleteContent(r: ResourceRef, name: string, totals: ContentTotals): Promise<void> {
    const list = await client.list(r, { namespace: name });
    if (!list.items.length) return;
    for (const item of list.items) {
      if (item.metadata?.deletionTimestamp) continue;
      try {
        await client.delete(r, item.metadata!.name!, { namespace: name, propagationPolicy: 'Background' });
      } catch (e) {
        if (!isNotFound(e)) totals.deleteErrors.push(message(e));
      }
    }
    const left = (await client.list(r, { namespace: name })).items;
    if (!left.length) return;
    totals.remaining.set(`${r.plural}.${r.group}`, left.length);
    for (const o of left) for (const f of o.metadata?.finalizers ?? []) bump(totals.finalizers, f);
  }

  async function reconcile(name: string): Promise<ReconcileResult | undefined> {
    const ns = namespaces.get(name);
    if (!ns || !terminating(ns)) return;
    const totals: ContentTotals = { remaining: new Map(), finalizers: new Map(), deleteErrors: [] };
    for (const r of namespacedResources()) {
      try {
        await deleteContent(r, name, totals);
      } catch (e) {
        totals.deleteErrors.push(message(e));
      }
    }
    const conditions = deletionConditions(ns.status?.conditions ?? [], totals, rfc3339Seconds());
    if (conditions) {
      try {
        await client.patch(R.namespaces, name, { status: { conditions } }, 'merge', { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
    }
    if (totals.deleteErrors.length) throw new Error(`namespace ${name}: ${totals.deleteErrors.length} delete(s) failed: ${totals.deleteErrors.join('; ')}`);
    if (totals.remaining.size) return { requeueAfter: RECHECK_MS };
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
