// What the storage kinds' validation shares (pkg/apis/core/validation): access modes, the storage
// quantity, a class name, and a PersistentVolume's node affinity (validateVolumeNodeAffinity, ValidateNodeSelector).
import { parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../quantity';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { isDNS1123Subdomain, NOT_POSITIVE } from './names';
import { validateNodeSelector } from './node-selector';
import { isObj, list, obj, str } from './read';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

/** Each mode supported; ReadWriteOncePod alone. `missing` is the detail of the Required cause for no modes. */
export function validateAccessModes(modesIn: unknown, path: string, missing: string): Cause[] {
  const causes: Cause[] = [];
  const modes = list(modesIn).map(str);
  if (modes.length === 0) causes.push(required(path, missing));
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) causes.push(notSupported(path, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) causes.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return causes;
}

/** A quantity that parses and is greater than zero (validateBasicResource + ValidatePositiveQuantityValue). */
export function validatePositiveQuantity(q: unknown, path: string): Cause[] {
  let v: number;
  try {
    if (typeof q !== 'string' && typeof q !== 'number') throw new Error('type');
    v = parseQuantity(q);
  } catch {
    return [invalid(path, typeof q === 'string' ? q : String(q), QUANTITY_FORMAT_MESSAGE)];
  }
  return v <= 0 ? [invalid(path, String(q), NOT_POSITIVE)] : [];
}

/** ValidateClassName (a DNS subdomain), as an Invalid cause per message. */
export function validateClassName(name: string, path: string): Cause[] {
  return isDNS1123Subdomain(name).map((m) => invalid(path, name, m));
}

export function validateVolumeMode(mode: unknown, path: string): Cause[] {
  if (mode === undefined || mode === null) return [];
  return VOLUME_MODES.includes(str(mode)) ? [] : [notSupported(path, str(mode), VOLUME_MODES)];
}

/** validateVolumeNodeAffinity: `required` must be given, and be a valid node selector. */
export function validateVolumeNodeAffinity(affinity: unknown, path: string): Cause[] {
  const a = obj(affinity);
  if (!isObj(a.required)) return [required(`${path}.required`, 'must specify required node constraints')];
  return validateNodeSelector(a.required, `${path}.required`);
}
