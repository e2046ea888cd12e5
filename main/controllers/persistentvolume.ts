// The PersistentVolume controller, as two reconcilers on the shared informers: the binder (claims: bind,
// provision, expand, Lost) and the reclaimer (volumes: Available, Bound, Released, reclaim). Each hears of
// the other side's changes: a volume's claimRef names its claim, a claim's volumeName its volume. Local
// volumes of a deleted node are let go beside the reclaimer (local-volume-orphans.ts).
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/types';
import { claimClass } from '../api/storage';
import type { Informer } from '../client/cache/informer';
import { newReconciler } from '../client/reconciler';
import { BY_CLAIM } from '../client/cache/shared-informers';
import { keyFor, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { syncClaim } from './pv-binder';
import { syncVolume } from './pv-reclaimer';
import { newLocalVolumeOrphans } from './local-volume-orphans';
import { together } from './extras';

interface StorageInformers {
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
}

export function storageInformers(ctx: ControllerContext): StorageInformers {
  return {
    claims: ctx.informers.informer('persistentvolumeclaims') as unknown as Informer<PersistentVolumeClaim>,
    volumes: ctx.informers.informer('persistentvolumes') as unknown as Informer<PersistentVolume>,
    classes: ctx.informers.informer('storageclasses') as unknown as Informer<StorageClass>,
  };
}

/**
 * Claims are independent of each other and each sync mostly waits on its writes, so more workers than
 * Kubernetes' one let a 1,000-claim StatefulSet bind as fast as the scheduler places its pods.
 */
const BINDER_WORKERS = 16;

export function newPersistentVolumeBinder(ctx: ControllerContext): Controller {
  const { claims, volumes, classes } = storageInformers(ctx);
  const nodes = ctx.informers.nodes;
  const deps = {
    client: ctx.client, claims, volumes, classes,
    nodeLabels: (name: string) => (nodes.get(name))?.metadata?.labels,
    recorder: ctx.recorder('persistentvolume-controller'),
    provisionerRecorder: ctx.recorder('flotilla.dev/local-path'),
  };
  const unboundClaims = (match: (c: PersistentVolumeClaim) => boolean): string[] =>
    claims.list().filter((c) => !c.spec?.volumeName && match(c)).map(keyOf);
  return newReconciler(ctx, 'persistentvolume-binder', { workers: BINDER_WORKERS })
    .for<PersistentVolumeClaim>('persistentvolumeclaims')
    .watches<PersistentVolume>('persistentvolumes', (pv) => {
      const ref = pv.spec?.claimRef;
      if (ref) return [keyFor(ref.namespace, ref.name ?? '')];
      return unboundClaims(() => true);
    })
    .watches<StorageClass>('storageclasses', (sc) => unboundClaims((c) => claimClass(c) === sc.metadata?.name))
    .complete((key) => syncClaim(deps, key));
}

export function newPersistentVolumeReclaimer(ctx: ControllerContext): Controller {
  const { claims, volumes } = storageInformers(ctx);
  const deps = { client: ctx.client, claims, volumes, recorder: ctx.recorder('persistentvolume-controller') };
  const volumesOf = (c: PersistentVolumeClaim): string[] => {
    const out = volumes.byIndex(BY_CLAIM, keyFor(c.metadata?.namespace, c.metadata?.name ?? '')).map(keyOf);
    if (c.spec?.volumeName && !out.includes(c.spec.volumeName)) out.push(c.spec.volumeName);
    return out;
  };
  const reclaimer = newReconciler(ctx, 'persistentvolume-reclaimer', { workers: 2 })
    .for<PersistentVolume>('persistentvolumes')
    .watches<PersistentVolumeClaim>('persistentvolumeclaims', volumesOf)
    .complete((key) => syncVolume(deps, key));
  return together('persistentvolume-reclaimer', reclaimer, newLocalVolumeOrphans(ctx, volumes));
}
