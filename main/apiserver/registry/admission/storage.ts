// The storage admission plugins: DefaultStorageClass (a claim that names no class — storageClassName unset,
// not "" — gets the default one; of several defaults the newest, as Kubernetes since 1.26) and
// StorageObjectInUseProtection (new claims get kubernetes.io/pvc-protection, new volumes kubernetes.io/pv-protection)
// and PersistentVolumeClaimResize (a claim's request may grow only when it is bound and its class allows expansion).
import { resourceForKind } from '../../../api/resources';
import { claimClass, isDefaultClass, PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER, storageBytes } from '../../../api/storage';
import type { KObject, PersistentVolumeClaim, StorageClass } from '../../../api/types';
import { errors } from '../../status';
import type { ObjectReader } from '../strategy';
import { newestDefault } from '../../../api/newest-default';

const STORAGE_CLASSES = resourceForKind('storage.k8s.io/v1', 'StorageClass')!;
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

function addFinalizer(obj: KObject, finalizer: string): void {
  const meta = (obj.metadata ??= {});
  const finalizers = meta.finalizers ?? [];
  if (!finalizers.includes(finalizer)) meta.finalizers = [...finalizers, finalizer];
}

/** The default class: the newest of those annotated default (ties by name), if any. */
export function defaultClass(reader: ObjectReader): StorageClass | undefined {
  return newestDefault(reader.list(STORAGE_CLASSES, undefined).items as unknown as StorageClass[], isDefaultClass);
}

export function admitClaim(obj: KObject, reader: ObjectReader): void {
  const pvc = obj as PersistentVolumeClaim & KObject;
  const spec = pvc.spec as Record<string, unknown> | undefined;
  if (spec && (spec.storageClassName === undefined || spec.storageClassName === null) && !pvc.metadata?.annotations?.[BETA_CLASS]) {
    const sc = defaultClass(reader);
    if (sc?.metadata?.name) spec.storageClassName = sc.metadata.name;
  }
  addFinalizer(obj, PVC_PROTECTION_FINALIZER);
}

export function admitVolume(obj: KObject): void {
  addFinalizer(obj, PV_PROTECTION_FINALIZER);
}

const requested = (pvc: PersistentVolumeClaim): number => storageBytes(pvc.spec?.resources?.requests?.storage);

/** PersistentVolumeClaimResize: a raised storage request needs a bound claim whose (unchanged) class has allowVolumeExpansion: true. */
export function admitClaimResize(next: KObject, old: KObject, reader: ObjectReader): void {
  const pvc = next as PersistentVolumeClaim & KObject;
  const oldPvc = old as PersistentVolumeClaim & KObject;
  if (!(requested(pvc) > requested(oldPvc))) return;
  const name = oldPvc.metadata?.name ?? '';
  if (oldPvc.status?.phase !== 'Bound') throw errors.forbidden('', 'persistentvolumeclaims', name, 'Only bound persistent volume claims can be expanded');
  const cls = claimClass(pvc);
  const sc = cls && cls === claimClass(oldPvc) ? reader.tryGet(STORAGE_CLASSES, undefined, cls) as unknown as StorageClass | undefined : undefined;
  if (sc?.allowVolumeExpansion !== true) {
    throw errors.forbidden('', 'persistentvolumeclaims', name,
      'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
  }
}
