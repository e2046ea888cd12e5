// The PersistentVolume controller's claim side (pkg/controller/volume/persistentvolume, syncClaim): an
// unbound claim is bound to a volume pre-bound to it or to the smallest available volume that satisfies
// it; a WaitForFirstConsumer claim waits for the scheduler's volume.kubernetes.io/selected-node and then
// takes a volume on that node or has one provisioned there by the node-local provisioner; a bound claim is
// kept Bound (capacity following its volume, expanded when its class allows), or Lost when its volume is gone.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/types';
import {
  ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, ANN_BETA_STORAGE_PROVISIONER, LOCAL_PROVISIONER,
  claimClass, claimRefMatches, storageBytes, volumeFitsNode, volumeSatisfies,
} from '../api/storage';
import type { Informer } from '../client/cache/informer';
import { BY_CLAIM } from '../client/cache/shared-informers';
import type { EventRecorder } from '../client/record/recorder';
import { R, keyFor } from '../client/refs';
import { isAlreadyExists, type ApiClient } from '../client/types';
import { provisionedVolume, provisionedVolumeName } from './pv-provision';
import { boundClaimStatus, setClaimStatus, setVolumePhase } from './pv-status';

export interface BinderDeps {
  client: ApiClient;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  nodeLabels(name: string): Record<string, string> | undefined;
  recorder: EventRecorder;
  provisionerRecorder: EventRecorder;
}

const YES = 'yes';
const PROVISIONER_ANNOTATIONS = { [ANN_STORAGE_PROVISIONER]: LOCAL_PROVISIONER, [ANN_BETA_STORAGE_PROVISIONER]: LOCAL_PROVISIONER };

function isDelayed(sc: StorageClass | undefined): boolean {
  return sc?.volumeBindingMode === 'WaitForFirstConsumer';
}

/**
 * The volume for the claim: one whose claimRef names it (found by index), else, when `scan`, the smallest
 * available volume, not released, satisfying it (on `node` when given).
 */
function findVolume(d: BinderDeps, pvc: PersistentVolumeClaim, node: string | undefined, scan: boolean): PersistentVolume | undefined {
  for (const pv of d.volumes.byIndex(BY_CLAIM, keyFor(pvc.metadata?.namespace, pvc.metadata?.name ?? ''))) {
    if (!pv.metadata?.deletionTimestamp && claimRefMatches(pv, pvc) && volumeSatisfies(pv, pvc)) return pv;
  }
  if (!scan) return undefined;
  let best: PersistentVolume | undefined;
  for (const pv of d.volumes.list()) {
    if (pv.metadata?.deletionTimestamp || pv.spec?.claimRef) continue;
    if (!volumeSatisfies(pv, pvc)) continue;
    if (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed') continue;
    if (node !== undefined && !volumeFitsNode(pv, { name: node, labels: d.nodeLabels(node) ?? {} })) continue;
    if (!best || storageBytes(pv.spec?.capacity?.storage) < storageBytes(best.spec?.capacity?.storage)) best = pv;
  }
  return best;
}

/** Whether `pv` is the volume the node-local provisioner made for the claim. */
function provisionedFor(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  return pv.metadata?.name === provisionedVolumeName(pvc) && pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PROVISIONER;
}

function hasAll(have: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

/**
 * Binds volume and claim: the volume's claimRef, both phases Bound, the claim's volumeName and annotations
 * (with `extraAnnotations`, the provisioner's, in the same write).
 */
export async function bind(d: BinderDeps, pv: PersistentVolume, pvc: PersistentVolumeClaim, extraAnnotations: Record<string, string> = {}): Promise<void> {
  let volume = pv;
  if (!claimRefMatches(pv, pvc) || !pv.spec?.claimRef?.uid) {
    const annotations = { ...(pv.metadata?.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: YES };
    volume = await d.client.update<PersistentVolume>(R.persistentvolumes, {
      ...pv, metadata: { ...pv.metadata, annotations },
      spec: {
        ...pv.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata?.namespace, name: pvc.metadata?.name,
          uid: pvc.metadata?.uid, resourceVersion: pvc.metadata?.resourceVersion,
        },
      },
    });
  }
  volume = await setVolumePhase(d.client, volume, 'Bound');
  let claim = pvc;
  const ann = pvc.metadata?.annotations ?? {};
  if (pvc.spec?.volumeName !== volume.metadata?.name || ann[ANN_BIND_COMPLETED] !== YES || !hasAll(ann, extraAnnotations)) {
    const annotations: Record<string, string> = { ...ann, ...extraAnnotations, [ANN_BIND_COMPLETED]: YES };
    if (!pvc.spec?.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = YES;
    claim = await d.client.update<PersistentVolumeClaim>(R.persistentvolumeclaims, {
      ...pvc, metadata: { ...pvc.metadata, annotations }, spec: { ...pvc.spec, volumeName: volume.metadata?.name },
    }, { namespace: pvc.metadata?.namespace });
  }
  await setClaimStatus(d.client, claim, boundClaimStatus(volume));
}

/** Whether a node-local directory can give the claim's access modes (one node: not ReadWriteMany nor ReadOnlyMany). */
function localModes(pvc: PersistentVolumeClaim): boolean {
  const modes = pvc.spec?.accessModes ?? [];
  return !modes.includes('ReadWriteMany') && !modes.includes('ReadOnlyMany');
}

/**
 * Provisions on `node` and binds at once. Kubernetes writes the claim's storage-provisioner annotations first
 * and the provisioner reacts to them; here both are this process, so the annotations go into the binding's
 * claim write and the new volume is bound without waiting for the informer to bring it back (two writes and a
 * round trip fewer per claim; the claim ends with the same annotations, and the same events are recorded).
 */
async function provision(d: BinderDeps, pvc: PersistentVolumeClaim, sc: StorageClass, node: string): Promise<void> {
  if (pvc.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] !== LOCAL_PROVISIONER) {
    d.recorder.event(pvc, 'Normal', 'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${LOCAL_PROVISIONER}' or manually by the system administrator. ` +
      'If volume creation is delayed, please verify that the provisioner is running and correctly registered.');
  }
  const key = keyFor(pvc.metadata?.namespace, pvc.metadata?.name ?? '');
  d.provisionerRecorder.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
  let pv: PersistentVolume;
  try {
    pv = await d.client.create(R.persistentvolumes, provisionedVolume(pvc, sc, node));
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    return; // provisioned before: the volume's informer event brings the claim back to be bound
  }
  d.provisionerRecorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${provisionedVolumeName(pvc)}`);
  await bind(d, pv, pvc, PROVISIONER_ANNOTATIONS);
}

async function syncUnbound(d: BinderDeps, pvc: PersistentVolumeClaim): Promise<void> {
  const className = claimClass(pvc);
  const sc = className ? d.classes.get(className) : undefined;
  const node = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
  const delayed = isDelayed(sc);
  const pv = findVolume(d, pvc, delayed ? node : undefined, !delayed || !!node);
  if (pv) return bind(d, pv, pvc, provisionedFor(pv, pvc) ? PROVISIONER_ANNOTATIONS : {});
  if (sc?.provisioner === LOCAL_PROVISIONER && !localModes(pvc)) {
    d.provisionerRecorder.event(pvc, 'Warning', 'ProvisioningFailed',
      `failed to provision volume with StorageClass "${className}": ${LOCAL_PROVISIONER} provisions node-local volumes only: ` +
      'access modes ReadWriteMany and ReadOnlyMany are not supported, use ReadWriteOnce or ReadWriteOncePod');
    return;
  }
  if (delayed && !node) {
    d.recorder.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    return;
  }
  if (!className) {
    d.recorder.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    return;
  }
  if (!sc) {
    d.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    return;
  }
  if (sc.provisioner !== LOCAL_PROVISIONER) {
    d.recorder.event(pvc, 'Normal', 'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner ?? ''}' or manually by the system administrator. ` +
      'If volume creation is delayed, please verify that the provisioner is running and correctly registered.');
    return;
  }
  if (!node) {
    d.provisionerRecorder.event(pvc, 'Warning', 'ProvisioningFailed',
      `failed to provision volume with StorageClass "${className}": ${LOCAL_PROVISIONER} needs the node of the claim's first pod: ` +
      'use volumeBindingMode WaitForFirstConsumer, or set the volume.kubernetes.io/selected-node annotation');
    return;
  }
  await provision(d, pvc, sc, node);
}

/** A bound claim whose size was raised: the local volume follows (allowVolumeExpansion), and so does the claim's capacity. */
async function expand(d: BinderDeps, pvc: PersistentVolumeClaim, pv: PersistentVolume): Promise<PersistentVolume> {
  const want = pvc.spec?.resources?.requests?.storage;
  if (!want || !(storageBytes(want) > storageBytes(pv.spec?.capacity?.storage))) return pv;
  const sc = d.classes.get(claimClass(pvc));
  if (!sc?.allowVolumeExpansion || sc.provisioner !== LOCAL_PROVISIONER) {
    d.recorder.event(pvc, 'Warning', 'ExternalExpanding', 'Ignoring the PVC: didn\'t find a plugin capable of expanding the volume; waiting for an external controller to process this PVC.');
    return pv;
  }
  const capacity = { ...(pv.spec?.capacity ?? {}), storage: want };
  const out = await d.client.update<PersistentVolume>(R.persistentvolumes, { ...pv, spec: { ...pv.spec, capacity } });
  d.recorder.event(pvc, 'Normal', 'VolumeResizeSuccessful', `ResizeVolume succeeded for volume "${pv.metadata?.name ?? ''}"`);
  return out;
}

async function syncBound(d: BinderDeps, pvc: PersistentVolumeClaim, volumeName: string): Promise<void> {
  const pv = d.volumes.get(volumeName);
  if (!pv) {
    if (pvc.status?.phase !== 'Lost') {
      await setClaimStatus(d.client, pvc, { phase: 'Lost', capacity: undefined, accessModes: undefined });
      d.recorder.event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    }
    return;
  }
  if (!pv.spec?.claimRef) {
    if (volumeSatisfies(pv, pvc)) await bind(d, pv, pvc);
    return;
  }
  if (!claimRefMatches(pv, pvc)) {
    if (pvc.status?.phase !== 'Lost') {
      await setClaimStatus(d.client, pvc, { phase: 'Lost' });
      d.recorder.event(pvc, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    }
    return;
  }
  const volume = await expand(d, pvc, pv);
  if (volume.status?.phase !== 'Bound' || pvc.status?.phase !== 'Bound' || pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] !== YES) {
    await bind(d, volume, pvc);
    return;
  }
  await setClaimStatus(d.client, pvc, boundClaimStatus(volume));
}

export async function syncClaim(d: BinderDeps, key: string): Promise<void> {
  const pvc = d.claims.get(key);
  if (!pvc || pvc.metadata?.deletionTimestamp) return;
  const volumeName = pvc.spec?.volumeName;
  if (volumeName) await syncBound(d, pvc, volumeName);
  else await syncUnbound(d, pvc);
}
