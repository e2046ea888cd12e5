// CRD validation ratcheting (CRDValidationRatcheting, on by default since 1.30): on an update, what the schema and
// the CEL rules would refuse in a value the update did not change is let through. Old and new values are
// correlated as apiextensions' CorrelatedObject does: a field by its name when both have it, a list item only in an
// x-kubernetes-list-type: map list, by its keys; anything else has no old value (and is judged by its nearest
// correlated ancestor).
import type { JSONSchemaProps } from '../types';
import { deepEqual } from '../deep-equal';
import { isObj } from './read';

/** The old value a field of a correlated object has: undefined when either side lacks it. */
export function correlatedField(value: unknown, old: unknown, key: string): unknown {
  if (!isObj(value) || !isObj(old) || !(key in old) || !(key in value)) return undefined;
  return old[key];
}

/** The old item of a map list with the same keys as `item`; undefined for other lists or a new item. */
export function correlatedItem(schema: JSONSchemaProps, old: unknown, item: unknown): unknown {
  const ext = schema as Record<string, unknown>;
  if (ext['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old) || !isObj(item)) return undefined;
  const keys = Array.isArray(ext['x-kubernetes-list-map-keys']) ? (ext['x-kubernetes-list-map-keys'] as string[]) : [];
  return old.find((o) => isObj(o) && keys.every((k) => deepEqual(o[k], item[k])));
}

/** Whether a value with a correlated old value is unchanged (its errors ratchet). */
export function unchanged(value: unknown, old: unknown): boolean {
  return old !== undefined && deepEqual(value, old);
}
