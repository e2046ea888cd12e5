// storage.k8s.io/v1 VolumeAttachment and CSIStorageCapacity validation (k8s.io/kubernetes pkg/apis/storage/validation:
// ValidateVolumeAttachment with its v1 checks, ValidateCSIStorageCapacity), with Kubernetes' messages. What a CSI
// driver's external-attacher and external-provisioner write: no controller here acts on them.
import type { KObject } from '../types';
import { parseQuantity } from '../quantity';
import type { Cause } from './cause';
import { forbidden, immutable, invalid, required, tooLong } from './cause';
import { GoRepr } from './gofmt';
import { isDNS1123Subdomain } from './names';
import { isSet, obj, semanticEqual, str } from './read';
import { validateLabelSelector } from './selector';
import { validateClassName } from './storage-common';

const MAX_ATTACHMENT_METADATA_BYTES = 256 * 1024;
const MAX_VOLUME_ERROR_MESSAGE_BYTES = 1024;
const SOURCE_ONE_OF = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';

/** ValidateCSIDriverName. */
function csiDriverNameCauses(name: string, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!name) causes.push(required(path));
  if (name.length > 63) causes.push(tooLong(path, 63));
  for (const m of isDNS1123Subdomain(name.toLowerCase())) causes.push(invalid(path, name, m));
  return causes;
}

function volumeErrorCauses(e: unknown, path: string): Cause[] {
  if (!isSet(e)) return [];
  const message = str(obj(e).message);
  return new TextEncoder().encode(message).length > MAX_VOLUME_ERROR_MESSAGE_BYTES ? [tooLong(`${path}.message`, MAX_VOLUME_ERROR_MESSAGE_BYTES)] : [];
}

export function validateVolumeAttachmentStatus(o: KObject): Cause[] {
  const status = obj(o.status);
  const causes: Cause[] = [];
  const metadata = obj(status.attachmentMetadata);
  const size = Object.entries(metadata).reduce((n, [k, v]) => n + k.length + str(v).length, 0);
  if (size > MAX_ATTACHMENT_METADATA_BYTES) causes.push(tooLong('status.attachmentMetadata', MAX_ATTACHMENT_METADATA_BYTES));
  causes.push(...volumeErrorCauses(status.attachError, 'status.attachError'), ...volumeErrorCauses(status.detachError, 'status.detachError'));
  return causes;
}

export function validateVolumeAttachment(o: KObject): Cause[] {
  const spec = obj(o.spec);
  const attacher = str(spec.attacher);
  const causes: Cause[] = [];
  if (!attacher) causes.push(required('spec.attacher'));
  const source = obj(spec.source);
  const pv = source.persistentVolumeName;
  const inline = isSet(source.inlineVolumeSpec);
  if (!inline && !isSet(pv)) causes.push(required('spec.source', SOURCE_ONE_OF));
  else if (inline && isSet(pv)) causes.push(forbidden('spec.source', SOURCE_ONE_OF));
  else if (isSet(pv) && !str(pv)) causes.push(required('spec.source.persistentVolumeName', 'must specify non empty persistentVolumeName'));
  const node = str(spec.nodeName);
  for (const m of isDNS1123Subdomain(node)) causes.push(invalid('spec.nodeName', node, m));
  causes.push(...validateVolumeAttachmentStatus(o));
  // ValidateVolumeAttachmentV1: the attacher is a CSI driver's name; a named volume is a PersistentVolume's.
  causes.push(...csiDriverNameCauses(attacher, 'spec.attacher'));
  if (str(pv)) causes.push(...validateClassName(str(pv), 'spec.source.persistentVolumeName'));
  return causes;
}

/** The spec is immutable (ValidateVolumeAttachmentUpdate). */
export function validateVolumeAttachmentUpdate(o: KObject, old: KObject): Cause[] {
  return semanticEqual(o.spec, old.spec) ? [] : [immutable('spec', new GoRepr(JSON.stringify(o.spec)))];
}

function nonNegativeQuantityCauses(q: unknown, path: string): Cause[] {
  if (!isSet(q)) return [];
  try {
    return parseQuantity(q as string | number) < 0 ? [invalid(path, String(q), 'must be greater than or equal to 0')] : [];
  } catch {
    return [];
  }
}

export function validateCSIStorageCapacity(o: KObject): Cause[] {
  const causes: Cause[] = [];
  if (isSet(o.nodeTopology)) causes.push(...validateLabelSelector(o.nodeTopology, 'nodeTopology'));
  causes.push(...validateClassName(str(o.storageClassName), 'storageClassName'));
  causes.push(...nonNegativeQuantityCauses(o.capacity, 'capacity'), ...nonNegativeQuantityCauses(o.maximumVolumeSize, 'maximumVolumeSize'));
  return causes;
}

/** The inputs of the CSI GetCapacity call are immutable (ValidateCSIStorageCapacityUpdate). */
export function validateCSIStorageCapacityUpdate(o: KObject, old: KObject): Cause[] {
  const causes: Cause[] = [];
  if (!semanticEqual(o.nodeTopology, old.nodeTopology)) causes.push(immutable('nodeTopology', new GoRepr(JSON.stringify(o.nodeTopology ?? null))));
  if (str(o.storageClassName) !== str(old.storageClassName)) causes.push(immutable('storageClassName', str(o.storageClassName)));
  return causes;
}
