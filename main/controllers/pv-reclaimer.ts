// The PersistentVolume controller's volume side (syncVolume): a volume without a claim is Available; one
// whose claim is bound to it is Bound; one whose claim is gone is Released and then reclaimed by its
// policy — Retain keeps it Released with its data, Delete deletes it (a provisioned local volume's node
// agent removes the directory before the object goes), anything else it cannot reclaim is Failed.
import type { PersistentVolume, PersistentVolumeClaim } from '../api/types';
import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, LOCAL_PROVISIONER } from '../api/storage';
import type { Informer } from '../client/cache/informer';
import type { EventRecorder } from '../client/record/recorder';
import { R, keyFor } from '../client/refs';
import { isNotFound, type ApiClient } from '../client/types';
import { setVolumePhase } from './pv-status';

export interface ReclaimerDeps {
  client: ApiClient;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  recorder: EventRecorder;
}

/** The claim a volume's claimRef names, asked of the API (the cache may lag behind a new claim). */
async function liveClaim(d: ReclaimerDeps, namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
  try {
    return await d.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, name, namespace);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function reclaim(d: ReclaimerDeps, pv: PersistentVolume): Promise<void> {
  const name = pv.metadata?.name ?? '';
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Retain') return;
  if (policy === 'Delete' && pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PROVISIONER) {
    try {
      await d.client.delete(R.persistentvolumes, name, { preconditions: { uid: pv.metadata?.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    return;
  }
  const message = policy === 'Delete'
    ? `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`
    : `no volume plugin matched name: kubernetes.io/${policy.toLowerCase()}`;
  if (pv.status?.phase !== 'Failed') {
    await setVolumePhase(d.client, pv, 'Failed', message);
    d.recorder.event(pv, 'Warning', policy === 'Delete' ? 'VolumeFailedDelete' : 'VolumeFailedRecycle', message);
  }
}

export async function syncVolume(d: ReclaimerDeps, name: string): Promise<void> {
  const pv = d.volumes.get(name);
  if (!pv || pv.metadata?.deletionTimestamp) return;
  const ref = pv.spec?.claimRef;
  if (!ref) {
    await setVolumePhase(d.client, pv, 'Available');
    return;
  }
  const ns = ref.namespace ?? '';
  const claimName = ref.name ?? '';
  const cached = d.claims.get(keyFor(ns, claimName));
  const claim = cached && (!ref.uid || cached.metadata?.uid === ref.uid) ? cached : await liveClaim(d, ns, claimName);
  if (claim && (!ref.uid || claim.metadata?.uid === ref.uid)) {
    if (claim.spec?.volumeName === name) {
      await setVolumePhase(d.client, pv, 'Bound');
    } else if (!claim.spec?.volumeName) {
      // Pre-bound to a claim the binder has yet to bind (it watches volumes, so it hears of this one): as in
      // Kubernetes, no write here — the binder's setting Bound next would otherwise race this one.
    } else if (pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
      // The claim went to another volume: this one is free again.
      const spec = { ...pv.spec };
      delete spec.claimRef;
      const out = await d.client.update<PersistentVolume>(R.persistentvolumes, { ...pv, spec });
      await setVolumePhase(d.client, out, 'Available');
    }
    return;
  }
  if (!ref.uid) {
    // Pre-bound by name to a claim that does not exist yet.
    await setVolumePhase(d.client, pv, 'Available');
    return;
  }
  let volume = pv;
  if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') volume = await setVolumePhase(d.client, pv, 'Released');
  if (volume.status?.phase === 'Released') await reclaim(d, volume);
}
