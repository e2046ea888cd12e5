// What the storage kinds' validation shares (pkg/apis/core/validation): access modes, the storage
// quantity, a class name, and a PersistentVolume's node affinity (validateVolumeNodeAffinity, ValidateNodeSelector).
import { parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../quantity';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { isDNS1123Subdomain, isQualifiedName } from './names';
import { isObj, list, obj, str } from './read';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];
const NODE_SELECTOR_OPERATORS = ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'];
const NOT_POSITIVE = 'must be greater than zero';

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

function validateRequirement(reqIn: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const r = obj(reqIn);
  const op = str(r.operator);
  const values = list(r.values);
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) causes.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) causes.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1) causes.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    causes.push(notSupported(`${path}.operator`, op, NODE_SELECTOR_OPERATORS));
  }
  for (const m of isQualifiedName(str(r.key))) causes.push(invalid(`${path}.key`, str(r.key), m));
  return causes;
}

/** validateVolumeNodeAffinity: `required` with at least one term. */
export function validateVolumeNodeAffinity(affinity: unknown, path: string): Cause[] {
  const a = obj(affinity);
  if (!isObj(a.required)) return [required(`${path}.required`, 'must specify required node constraints')];
  const terms = list(a.required.nodeSelectorTerms);
  const termsPath = `${path}.required.nodeSelectorTerms`;
  if (terms.length === 0) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => [
    ...list(obj(t).matchExpressions).flatMap((r, j) => validateRequirement(r, `${termsPath}[${i}].matchExpressions[${j}]`)),
    ...list(obj(t).matchFields).flatMap((r, j) => validateRequirement(r, `${termsPath}[${i}].matchFields[${j}]`)),
  ]);
}
