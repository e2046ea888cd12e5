// Stored kinds of node runtimes and storage drivers, as Kubernetes prints them: PodTemplates (NAME CONTAINERS IMAGES
// POD LABELS), RuntimeClasses (NAME HANDLER AGE), CSIDrivers (NAME ATTACHREQUIRED PODINFOONMOUNT STORAGECAPACITY
// TOKENREQUESTS REQUIRESREPUBLISH MODES AGE), CSINodes (NAME DRIVERS AGE), VolumeAttachments (NAME ATTACHER PV NODE
// ATTACHED AGE) and CSIStorageCapacities (NAME STORAGECLASSNAME CAPACITY).
import type { CSIDriver, CSINode, CSIStorageCapacity, PodTemplate, RuntimeClass, VolumeAttachment } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { formatLabels } from './selector';

export const podTemplateTable = defineTable<PodTemplate>({
  columns: [
    nameColumn,
    { name: 'Containers', type: 'string', description: 'Names of each container in the template.', cell: (t) => (t.template?.spec?.containers ?? []).map((c) => c.name).join(',') },
    { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.', cell: (t) => (t.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(',') },
    { name: 'Pod Labels', type: 'string', description: 'The labels for the pod template.', cell: (t) => formatLabels(t.template?.metadata?.labels) },
  ],
});

export const runtimeClassTable = defineTable<RuntimeClass>({
  columns: [
    nameColumn,
    { name: 'Handler', type: 'string', description: 'Handler specifies the underlying runtime and configuration that the CRI implementation will use.', cell: (r) => r.handler ?? '' },
    ageColumn,
  ],
});

export const csiDriverTable = defineTable<CSIDriver>({
  columns: [
    nameColumn,
    { name: 'AttachRequired', type: 'boolean', description: 'Indicates this CSI volume driver requires an attach operation.', cell: (d) => d.spec?.attachRequired ?? true },
    { name: 'PodInfoOnMount', type: 'boolean', description: 'Indicates this CSI volume driver requires additional pod information during mount operations.', cell: (d) => d.spec?.podInfoOnMount ?? false },
    { name: 'StorageCapacity', type: 'boolean', description: 'Indicates whether the CSI volume driver reports storage capacity.', cell: (d) => d.spec?.storageCapacity ?? false },
    {
      name: 'TokenRequests', type: 'string', description: 'Indicates the CSI driver needs pods\' service account tokens it is mounting volume for to do necessary authentication.',
      cell: (d) => (d.spec?.tokenRequests?.length ? d.spec.tokenRequests.map((t) => t.audience || '<api-server-default>').join(',') : '<unset>'),
    },
    { name: 'RequiresRepublish', type: 'boolean', description: 'Indicates the CSI driver wants NodePublishVolume being periodically called.', cell: (d) => d.spec?.requiresRepublish ?? false },
    { name: 'Modes', type: 'string', description: 'Indicates volume lifecycle modes supported by the CSI driver.', cell: (d) => (d.spec?.volumeLifecycleModes ?? []).join(',') || '<none>' },
    ageColumn,
  ],
});

export const csiNodeTable = defineTable<CSINode>({
  columns: [
    nameColumn,
    { name: 'Drivers', type: 'integer', description: 'Drivers indicates the number of CSI drivers registered on the node', cell: (n) => n.spec?.drivers?.length ?? 0 },
    ageColumn,
  ],
});

export const volumeAttachmentTable = defineTable<VolumeAttachment>({
  columns: [
    nameColumn,
    { name: 'Attacher', type: 'string', format: 'name', description: 'Attacher indicates the name of the volume driver that MUST handle this request.', cell: (v) => v.spec?.attacher ?? '' },
    { name: 'PV', type: 'string', description: 'persistentVolumeName represents the name of the persistent volume to attach.', cell: (v) => v.spec?.source?.persistentVolumeName ?? '' },
    { name: 'Node', type: 'string', description: 'nodeName represents the node that the volume should be attached to.', cell: (v) => v.spec?.nodeName ?? '' },
    { name: 'Attached', type: 'boolean', description: 'attached indicates the volume is successfully attached.', cell: (v) => v.status?.attached ?? false },
    ageColumn,
  ],
});

export const csiStorageCapacityTable = defineTable<CSIStorageCapacity>({
  columns: [
    nameColumn,
    { name: 'StorageClassName', type: 'string', description: 'storageClassName represents the name of the StorageClass that the reported capacity applies to.', cell: (c) => c.storageClassName ?? '' },
    { name: 'Capacity', type: 'string', description: 'capacity is the value reported by the CSI driver in its GetCapacityResponse.', cell: (c) => c.capacity ?? '<unset>' },
  ],
});
