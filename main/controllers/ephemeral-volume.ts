// The ephemeral volume controller (pkg/controller/volume/ephemeral): for each generic ephemeral volume of a pod that is
// not being deleted, the PersistentVolumeClaim <pod>-<volume> made from the volume's claim template — its labels,
// annotations and spec — with the pod as its controlling owner (blockOwnerDeletion), so the garbage collector deletes
// it with the pod. A claim of that name the pod does not own is left alone, and the pod told (a FailedBinding event),
// as the scheduler and the kubelet refuse to use it.
import type { PersistentVolumeClaim, Pod, Volume } from '../api/types';
import { ephemeralClaimName, ephemeralClaimNotForPod } from '../api/ephemeral-volumes';
import { newReconciler } from '../client/reconciler';
import type { Controller } from '../client/reconciler';
import { R, keyFor } from '../client/refs';
import { isAlreadyExists } from '../client/types';
import type { ControllerContext } from './controller';
import { storageInformers } from './persistentvolume';
import { controllerRef } from './pod-util';

function hasEphemeral(p: Pod): boolean {
  return (p.spec?.volumes ?? []).some((v) => v.ephemeral);
}

export function newEphemeralVolumeController(ctx: ControllerContext): Controller {
  const { claims } = storageInformers(ctx);
  const pods = ctx.informers.pods;
  const recorder = ctx.recorder('ephemeral_volume');

  async function ensureClaim(pod: Pod, volume: Volume): Promise<string | undefined> {
    const ns = pod.metadata?.namespace ?? 'default';
    const claim = ephemeralClaimName(pod.metadata?.name ?? '', volume.name);
    const existing = claims.get(keyFor(ns, claim));
    if (existing) return ephemeralClaimNotForPod(pod, existing);
    const template = volume.ephemeral?.volumeClaimTemplate;
    if (!template) return undefined;
    const pvc: PersistentVolumeClaim = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        name: claim, namespace: ns,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
        ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      },
      spec: template.spec,
    };
    try {
      await ctx.client.create(R.persistentvolumeclaims, pvc, { namespace: ns });
    } catch (e) {
      if (!isAlreadyExists(e)) return `create PVC ${claim}: ${e instanceof Error ? e.message : String(e)}`;
    }
    return undefined;
  }

  async function reconcile(key: string): Promise<void> {
    const pod = pods.get(key);
    if (!pod || pod.metadata?.deletionTimestamp || !hasEphemeral(pod)) return;
    for (const v of pod.spec?.volumes ?? []) {
      if (!v.ephemeral) continue;
      const problem = await ensureClaim(pod, v);
      if (problem) {
        recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'FailedBinding', `ephemeral volume ${v.name}: ${problem}`);
        throw new Error(`pod ${key}, ephemeral volume ${v.name}: ${problem}`);
      }
    }
  }

  return newReconciler(ctx, 'ephemeral-volume')
    .for<Pod>('pods', { add: hasEphemeral, update: (_o, p) => hasEphemeral(p), delete: () => false })
    // A claim of a pod's deleted: the pod's sync makes it again (while the pod is not being deleted).
    .watches<PersistentVolumeClaim>('persistentvolumeclaims', (c) => {
      const owner = controllerRef(c);
      return owner?.kind === 'Pod' ? [keyFor(c.metadata?.namespace, owner.name)] : [];
    }, { add: () => false, update: () => false })
    .complete(reconcile);
}
