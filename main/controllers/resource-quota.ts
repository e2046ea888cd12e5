// The resource quota controller: each ResourceQuota's status.hard is its spec.hard and status.used
// the namespace's usage of those names (api/quota-usage.ts), recomputed when the quota or an object
// it counts (pods, services, configmaps, secrets, claims) changes in its namespace; a scoped quota
// counts only the pods in its scopes (api/quota-scopes.ts).
import type { KObject, Pod, PersistentVolumeClaim, ResourceQuota } from '../api/types';
import { quotaUsage } from '../api/quota-usage';
import { objectsInScope } from '../api/quota-scopes';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { isNotFound } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

export function newResourceQuotaController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const quotas = informers.informer('resourcequotas');
  const inNamespace = (name: 'pods' | 'services' | 'configmaps' | 'secrets' | 'persistentvolumeclaims', ns: string) =>
    informers.informer(name).byIndex(BY_NAMESPACE, ns);
  const quotasOf = (o: KObject): string[] => quotas.byIndex(BY_NAMESPACE, o.metadata?.namespace ?? '').map(keyOf);

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

  return newReconciler(ctx, 'resourcequota', { workers: 1 })
    .for('resourcequotas')
    .watches('pods', quotasOf)
    .watches('services', quotasOf)
    .watches('configmaps', quotasOf)
    .watches('secrets', quotasOf)
    .watches('persistentvolumeclaims', quotasOf)
    .complete(reconcile);
}
