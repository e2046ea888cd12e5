// The resource quota controller: each ResourceQuota's status.hard is its spec.hard and status.used
// the namespace's usage of those names (api/quota-usage.ts), recomputed when the quota or an object
// it counts (pods, services, configmaps, secrets, claims) changes in its namespace; a scoped quota
// counts only the pods in its scopes (api/quota-scopes.ts). Object counts of any other resource
// (`count/deployments.apps`, a CRD's `count/widgets.example.com`) come from resource-quota-counts.ts.
import type { KObject, Pod, PersistentVolumeClaim, ResourceQuota } from '../api/types';
import { quotaUsage } from '../api/quota-usage';
import { objectsInScope } from '../api/quota-scopes';
import { objectCountResource } from '../api/quota-count';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { isNotFound } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { withExtras } from './extras';
import { CountedObjects } from './resource-quota-counts';

const CORE_COUNTED = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims'];

export function newResourceQuotaController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const quotas = informers.informer('resourcequotas');
  const inNamespace = (name: 'pods' | 'services' | 'configmaps' | 'secrets' | 'persistentvolumeclaims', ns: string) =>
    informers.informer(name).byIndex(BY_NAMESPACE, ns);
  const quotasOf = (o: KObject): string[] => quotas.byIndex(BY_NAMESPACE, o.metadata?.namespace ?? '').map(keyOf);
  const builder = newReconciler(ctx, 'resourcequota', { workers: 1 });
  const enqueueNamespace = (ns: string) => { for (const k of quotasOf({ metadata: { namespace: ns } })) builder.queue.add(k); };
  const counted = new CountedObjects(client, enqueueNamespace, (l) => ctx.log(l));

  /** The objects of the other resources the quota counts, by group-resource (those not listed yet are left out). */
  function otherObjects(key: string, ns: string, hard: Record<string, string>): Record<string, unknown[]> {
    const other: Record<string, unknown[]> = {};
    for (const name of Object.keys(hard)) {
      const gr = objectCountResource(name);
      if (gr === undefined || CORE_COUNTED.includes(gr)) continue;
      const objs = counted.objects(gr, ns, () => builder.queue.add(key));
      if (objs) other[gr] = objs;
    }
    return other;
  }

  async function reconcile(key: string): Promise<void> {
    const q = quotas.get(key) as ResourceQuota | undefined;
    if (!q) return;
    const ns = q.metadata?.namespace ?? '';
    const hard = { ...(q.spec?.hard ?? {}) };
    const used = quotaUsage(hard, objectsInScope(q, {
      pods: inNamespace('pods', ns) as Pod[],
      services: inNamespace('services', ns),
      configmaps: inNamespace('configmaps', ns),
      secrets: inNamespace('secrets', ns),
      persistentvolumeclaims: inNamespace('persistentvolumeclaims', ns) as PersistentVolumeClaim[],
      other: otherObjects(key, ns, hard),
    }));
    if (JSON.stringify(q.status?.hard ?? {}) === JSON.stringify(hard) && JSON.stringify(q.status?.used ?? {}) === JSON.stringify(used)) return;
    try {
      // A merge patch keeps map keys it does not name: names dropped from spec.hard are set to null.
      const dropped = (old: Record<string, string> | undefined, now: Record<string, string>) =>
        ({ ...Object.fromEntries(Object.keys(old ?? {}).filter((k) => !(k in now)).map((k) => [k, null])), ...now });
      const status = { hard: dropped(q.status?.hard, hard), used: dropped(q.status?.used, used) };
      await client.patch(R.resourcequotas, q.metadata!.name!, { status }, 'merge', { namespace: ns, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  const controller = builder
    .for('resourcequotas')
    .watches('pods', quotasOf)
    .watches('services', quotasOf)
    .watches('configmaps', quotasOf)
    .watches('secrets', quotasOf)
    .watches('persistentvolumeclaims', quotasOf)
    .complete(reconcile);
  return withExtras(controller, { run: () => counted.run() });
}
