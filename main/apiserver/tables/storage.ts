// The storage kinds' columns, as pkg/printers/internalversion/printers.go prints them: PersistentVolumes,
// PersistentVolumeClaims and StorageClasses.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

const MODE_ABBREVIATIONS: ReadonlyArray<[string, string]> = [
  ['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP'],
];

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  return MODE_ABBREVIATIONS.filter(([m]) => set.has(m)).map(([, a]) => a).join(',');
}

/** The class a volume or claim names (spec.storageClassName, else the beta annotation). */
function className(o: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  return o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName ?? '';
}

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const persistentVolumeTable = defineTable<PersistentVolume>({
  columns: [
    nameColumn,
    { name: 'Capacity', type: 'string', description: "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
      cell: (pv) => pv.spec?.capacity?.storage ?? '0' },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes',
      cell: (pv) => accessModesString(pv.spec?.accessModes) },
    { name: 'Reclaim Policy', type: 'string',
      description: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
      cell: (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? '' },
    { name: 'Status', type: 'string', description: 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
      cell: (pv) => (pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '') },
    { name: 'Claim', type: 'string',
      description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding',
      cell: (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '') },
    { name: 'StorageClass', type: 'string', description: 'StorageClass of the pv', cell: className },
    { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pv', cell: (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>' },
    { name: 'Reason', type: 'string', description: 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
      cell: (pv) => pv.status?.reason ?? '' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1,
      description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
      cell: (pv) => pv.spec?.volumeMode ?? '<unset>' },
  ],
});

export const persistentVolumeClaimTable = defineTable<PersistentVolumeClaim>({
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'phase represents the current phase of PersistentVolumeClaim.',
      cell: (c) => (c.metadata?.deletionTimestamp ? 'Terminating' : c.status?.phase ?? '') },
    { name: 'Volume', type: 'string', description: 'volumeName is the binding reference to the PersistentVolume backing this claim.', cell: (c) => c.spec?.volumeName ?? '' },
    // Capacity and access modes are the bound volume's: empty until the claim names one.
    { name: 'Capacity', type: 'string', description: 'capacity represents the actual resources of the underlying volume.',
      cell: (c) => (c.spec?.volumeName ? c.status?.capacity?.storage ?? '0' : '') },
    { name: 'Access Modes', type: 'string',
      description: 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
      cell: (c) => (c.spec?.volumeName ? accessModesString(c.status?.accessModes) : '') },
    { name: 'StorageClass', type: 'string', description: 'StorageClass of the pvc', cell: className },
    { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pvc', cell: (c) => c.spec?.volumeAttributesClassName ?? '<unset>' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1,
      description: 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
      cell: (c) => c.spec?.volumeMode ?? '<unset>' },
  ],
});

export const storageClassTable = defineTable<StorageClass>({
  columns: [
    { ...nameColumn, cell: (sc) => {
      const annotations = sc.metadata?.annotations ?? {};
      const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
      return `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`;
    } },
    { name: 'Provisioner', type: 'string', description: 'provisioner indicates the type of the provisioner.', cell: (sc) => sc.provisioner ?? '' },
    { name: 'ReclaimPolicy', type: 'string', description: 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
      cell: (sc) => sc.reclaimPolicy ?? 'Delete' },
    { name: 'VolumeBindingMode', type: 'string',
      description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
      cell: (sc) => sc.volumeBindingMode ?? 'Immediate' },
    { name: 'AllowVolumeExpansion', type: 'string', description: 'allowVolumeExpansion shows whether the storage class allow volume expand.', cell: (sc) => sc.allowVolumeExpansion ?? false },
    ageColumn,
  ],
});
