// Defaults of the storage kinds (core/v1 SetDefaults_PersistentVolume, SetDefaults_PersistentVolumeClaim and
// SetDefaults_PersistentVolumeClaimSpec; storage/v1 SetDefaults_StorageClass).
import type { KObject } from './types';
import { child, setDefault } from './defaults-pod';

export function defaultPersistentVolume(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(spec, 'volumeMode', 'Filesystem');
  setDefault(child(o, 'status'), 'phase', 'Pending');
}

export function defaultPersistentVolumeClaim(o: KObject): void {
  setDefault(child(o, 'spec'), 'volumeMode', 'Filesystem');
  setDefault(child(o, 'status'), 'phase', 'Pending');
}

export function defaultStorageClass(o: KObject): void {
  setDefault(o, 'reclaimPolicy', 'Delete');
  setDefault(o, 'volumeBindingMode', 'Immediate');
}
