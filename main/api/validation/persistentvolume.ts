// PersistentVolume validation (ValidatePersistentVolume / ValidatePersistentVolumeUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, immutable, invalid, notSupported, required } from './cause';
import { HOST_PATH_TYPES, noBacksteps } from './pod-volumes';
import { checkType, isObj, obj, semanticEqual, str } from './read';
import { specDiff } from './spec-diff';
import {
  validateAccessModes, validateClassName, validatePositiveQuantity, validateVolumeMode, validateVolumeNodeAffinity,
} from './storage-common';

/** PersistentVolumeSource's members, in the order Kubernetes checks them. */
export const PV_SOURCES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs',
  'iscsi', 'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO',
  'local', 'storageos', 'csi'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

function validateSource(spec: Record<string, unknown>, hasAffinity: boolean): Cause[] {
  const causes: Cause[] = [];
  const sources = PV_SOURCES.filter((s) => isObj(spec[s]));
  if (sources.length === 0) causes.push(required('spec', 'must specify a volume type'));
  for (const s of sources.slice(1)) causes.push(forbidden(`spec.${s}`, 'may not specify more than 1 volume type'));
  if (sources[0] === 'hostPath') {
    const hp = obj(spec.hostPath);
    const p = str(hp.path);
    if (!p) causes.push(required('spec.hostPath.path'));
    causes.push(...noBacksteps(p, 'spec.hostPath.path'));
    const type = str(hp.type);
    if (!HOST_PATH_TYPES.includes(type)) causes.push(notSupported('spec.hostPath.type', type, HOST_PATH_TYPES));
  }
  if (sources[0] === 'local') {
    const p = str(obj(spec.local).path);
    if (!p) causes.push(required('spec.local.path'));
    else causes.push(...noBacksteps(p, 'spec.local.path'));
    if (!hasAffinity) causes.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  return causes;
}

export function validatePersistentVolume(pv: KObject): Cause[] {
  const causes: Cause[] = [];
  if (!checkType(causes, 'spec', pv.spec, 'object')) return causes;
  const spec = obj(pv.spec);
  checkType(causes, 'spec.capacity', spec.capacity, 'object');
  causes.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', ''));
  const capacity = obj(spec.capacity);
  const names = Object.keys(capacity);
  if (names.length === 0) causes.push(required('spec.capacity'));
  if (!('storage' in capacity) || names.length > 1) causes.push(notSupported('spec.capacity', capacity, ['storage']));
  for (const n of names) causes.push(...validatePositiveQuantity(capacity[n], `spec.capacity[${n}]`));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy && !RECLAIM_POLICIES.includes(policy)) causes.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  const hasAffinity = spec.nodeAffinity !== undefined && spec.nodeAffinity !== null;
  if (hasAffinity) causes.push(...validateVolumeNodeAffinity(spec.nodeAffinity, 'spec.nodeAffinity'));
  causes.push(...validateSource(spec, hasAffinity));
  const cls = str(spec.storageClassName);
  if (cls) causes.push(...validateClassName(cls, 'spec.storageClassName'));
  causes.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  return causes;
}

export function validatePersistentVolumeUpdate(next: KObject, prev: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(next.spec);
  const old = obj(prev.spec);
  const source = (s: Record<string, unknown>) => Object.fromEntries(PV_SOURCES.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
  if (!semanticEqual(source(spec), source(old))) {
    const diff = specDiff(source(old), source(spec), 'spec').join('\n');
    causes.push(forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${diff}`));
  }
  if (!semanticEqual(spec.volumeMode, old.volumeMode)) causes.push(immutable('volumeMode', spec.volumeMode));
  if (old.nodeAffinity !== undefined && old.nodeAffinity !== null && !semanticEqual(spec.nodeAffinity, old.nodeAffinity)) {
    causes.push(invalid('nodeAffinity', spec.nodeAffinity, 'field is immutable'));
  }
  return causes;
}
