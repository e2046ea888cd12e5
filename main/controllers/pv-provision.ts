// The node-local provisioner (flotilla.dev/local-path): for a claim whose first pod the scheduler placed
// on a node (volume.kubernetes.io/selected-node), a PersistentVolume pre-bound to the claim, a directory
// <LOCAL_VOLUMES_DIR>/<pv> on that node (the node's agent creates it, and removes it when the volume goes
// with reclaim policy Delete) and node affinity to that node only.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/types';
import {
  ANN_PROVISIONED_BY, HOSTNAME_LABEL, LOCAL_PROVISIONER, LOCAL_VOLUME_FINALIZER, LOCAL_VOLUMES_DIR, PV_PROTECTION_FINALIZER,
} from '../api/storage';

/** Kubernetes' name of a provisioned volume: pvc-<claim uid>. */
export function provisionedVolumeName(pvc: PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata?.uid ?? ''}`;
}

export function provisionedVolume(pvc: PersistentVolumeClaim, sc: StorageClass, node: string): PersistentVolume {
  const name = provisionedVolumeName(pvc);
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { [ANN_PROVISIONED_BY]: LOCAL_PROVISIONER },
      finalizers: [PV_PROTECTION_FINALIZER, LOCAL_VOLUME_FINALIZER],
    },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
      accessModes: [...(pvc.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata?.name,
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      claimRef: {
        kind: 'PersistentVolumeClaim', apiVersion: 'v1',
        namespace: pvc.metadata?.namespace, name: pvc.metadata?.name, uid: pvc.metadata?.uid, resourceVersion: pvc.metadata?.resourceVersion,
      },
      local: { path: `${LOCAL_VOLUMES_DIR}/${name}` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [node] }] }] } },
    },
  };
}
