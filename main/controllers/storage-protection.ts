// The storage-object-in-use protection controllers: a claim being deleted keeps kubernetes.io/pvc-protection
// while a pod that is not finished uses it (the API is asked, not only the cache, before letting it go); a
// volume being deleted keeps kubernetes.io/pv-protection while it is Bound.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../api/types';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../api/storage';
import { podUsesClaim, podVolumeClaims } from '../api/ephemeral-volumes';
import { newReconciler } from '../client/reconciler';
import { R, keyFor, splitKey } from '../client/refs';
import { isNotFound, type ApiClient } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { storageInformers } from './persistentvolume';

function usesClaim(p: Pod, claim: string): boolean {
  if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return false;
  return podUsesClaim(p, claim);
}

async function removeFinalizer(client: ApiClient, obj: PersistentVolume | PersistentVolumeClaim, finalizer: string, claim: boolean): Promise<void> {
  const finalizers = (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  const next = { ...obj, metadata: { ...obj.metadata, finalizers } };
  try {
    await client.update(claim ? R.persistentvolumeclaims : R.persistentvolumes, next, { namespace: obj.metadata?.namespace });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

export function newPvcProtectionController(ctx: ControllerContext): Controller {
  const { claims } = storageInformers(ctx);
  const pods = ctx.informers.pods;
  const deleting = (c: PersistentVolumeClaim) => !!c.metadata?.deletionTimestamp && (c.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER);
  async function reconcile(key: string): Promise<void> {
    const pvc = claims.get(key);
    if (!pvc || !deleting(pvc)) return;
    const { namespace, name } = splitKey(key);
    if (pods.list().some((p) => p.metadata?.namespace === namespace && usesClaim(p, name))) return;
    const live = await ctx.client.list<Pod>(R.pods, { namespace });
    if (live.items.some((p) => usesClaim(p, name))) return;
    await removeFinalizer(ctx.client, pvc, PVC_PROTECTION_FINALIZER, true);
  }
  return newReconciler(ctx, 'pvc-protection')
    .for<PersistentVolumeClaim>('persistentvolumeclaims', { add: deleting, update: (_o, c) => deleting(c), delete: () => false })
    .watches<Pod>('pods', (p) => podVolumeClaims(p).map((c) => keyFor(p.metadata?.namespace, c.claim)), {
      add: () => false,
    })
    .complete(reconcile);
}

export function newPvProtectionController(ctx: ControllerContext): Controller {
  const { volumes } = storageInformers(ctx);
  const deleting = (pv: PersistentVolume) => !!pv.metadata?.deletionTimestamp && (pv.metadata.finalizers ?? []).includes(PV_PROTECTION_FINALIZER);
  async function reconcile(key: string): Promise<void> {
    const pv = volumes.get(key);
    if (!pv || !deleting(pv) || pv.status?.phase === 'Bound') return;
    await removeFinalizer(ctx.client, pv, PV_PROTECTION_FINALIZER, false);
  }
  return newReconciler(ctx, 'pv-protection')
    .for<PersistentVolume>('persistentvolumes', { add: deleting, update: (_o, pv) => deleting(pv), delete: () => false })
    .complete(reconcile);
}
