// PersistentVolumeClaim validation (ValidatePersistentVolumeClaim / ValidatePersistentVolumeClaimUpdate).
import { parseQuantity } from '../quantity';
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, immutable, required } from './cause';
import { checkType, isObj, obj, semanticEqual, str } from './read';
import { validateLabelSelector } from './selector';
import { specDiff } from './spec-diff';
import { validateAccessModes, validateClassName, validatePositiveQuantity, validateVolumeMode } from './storage-common';

/** ValidatePersistentVolumeClaimSpec, for claims and claim templates (`path` is where the spec is). */
export function validateClaimSpec(specIn: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!checkType(causes, path, specIn, 'object')) return causes;
  const spec = obj(specIn);
  causes.push(...validateAccessModes(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required'));
  causes.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const requests = obj(obj(spec.resources).requests);
  if (!('storage' in requests)) causes.push(required(`${path}.resources[storage]`));
  else causes.push(...validatePositiveQuantity(requests.storage, `${path}.resources[storage]`));
  const cls = str(spec.storageClassName);
  if (cls) causes.push(...validateClassName(cls, `${path}.storageClassName`));
  causes.push(...validateVolumeMode(spec.volumeMode, `${path}.volumeMode`));
  return causes;
}

export function validatePersistentVolumeClaim(pvc: KObject): Cause[] {
  return validateClaimSpec(pvc.spec, 'spec');
}

function storageOf(spec: Record<string, unknown>): number {
  return bytesOf(obj(obj(spec.resources).requests).storage);
}

function bytesOf(q: unknown): number {
  try {
    return typeof q === 'string' || typeof q === 'number' ? parseQuantity(q) : NaN;
  } catch {
    return NaN;
  }
}

export function validatePersistentVolumeClaimUpdate(next: KObject, prev: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = structuredClone(obj(next.spec));
  const old = structuredClone(obj(prev.spec));
  // volumeName may be set once (by the binder); the storage class may be set once when it was nil.
  if (!str(old.volumeName)) old.volumeName = spec.volumeName;
  const oldClass = old.storageClassName;
  if ((oldClass === undefined || oldClass === null) && spec.storageClassName !== undefined) old.storageClassName = spec.storageClassName;
  // A bound claim's request may change (expansion).
  if (str(obj(next.status).phase) === 'Bound' && isObj(obj(spec.resources).requests)) {
    obj(obj(spec.resources).requests).storage = obj(obj(old.resources).requests).storage;
  }
  delete spec.volumeAttributesClassName;
  delete old.volumeAttributesClassName;
  if (!semanticEqual(spec, old)) {
    const diff = specDiff(old, spec, 'spec').join('\n');
    causes.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${diff}`));
  }
  // RecoverVolumeExpansionFailure (on by default since 1.32): a request may come down from a failed expansion,
  // but never to the capacity the claim has (status.capacity; none counts as zero) or below.
  const size = storageOf(obj(next.spec));
  if (size < storageOf(obj(prev.spec))) {
    const capacity = bytesOf(obj(obj(prev.status).capacity).storage);
    if (size <= (Number.isNaN(capacity) ? 0 : capacity)) causes.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if (!semanticEqual(obj(next.spec).volumeMode, obj(prev.spec).volumeMode)) causes.push(immutable('volumeMode', obj(next.spec).volumeMode));
  return causes;
}
