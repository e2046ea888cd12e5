// How server-side apply sees a value through its PatchMeta: which lists are associative (and how an
// item is named), which maps are atomic, and whether the keys of a map are named fields.
import { isObject } from './json';
import { keyed, valueElement, type PathElement } from './fieldpath';
import type { PatchMeta } from './patchmeta';

/** An associative list (listType map or set): items are addressed by key or value. */
export function isAssociativeList(meta: PatchMeta, value: unknown): value is unknown[] {
  return Array.isArray(value) && meta.type === 'list' && (meta.listType === 'map' || meta.listType === 'set');
}

/** A map walked key by key (not atomic). */
export function isGranularMap(meta: PatchMeta, value: unknown): value is Record<string, unknown> {
  return isObject(value) && !(meta.atomic && meta.type !== 'list');
}

/** Keys of a struct are named fields; keys of maps (labels) and of unknown kinds are data. */
export function keysAreNamed(meta: PatchMeta): boolean {
  return meta.type === 'struct' || meta.type === 'list' || meta.type === 'scalar';
}

/** The path element of an item of an associative list. */
export function itemElement(meta: PatchMeta, item: unknown): PathElement {
  if (meta.listType === 'set' || !isObject(item)) return valueElement(item);
  const keys = meta.mapKeys ?? (meta.mergeKey ? [meta.mergeKey] : []);
  const fields: Record<string, unknown> = {};
  for (const k of keys) {
    const v = item[k] ?? meta.keyDefaults?.[k];
    if (v !== undefined && v !== null) fields[k] = v;
  }
  return keyed(fields);
}
