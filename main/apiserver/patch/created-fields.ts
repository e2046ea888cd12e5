// The fields a create sets, remembered by the object's content. Objects made from one template
// (the pods of a ReplicaSet) differ only in fields that ownership never records (name, uid,
// creationTimestamp, …: STRIPPED), and comparing a whole new object field by field is the
// costliest part of recording its managed fields. A remembered set also keeps its encoding.
import type { KObject } from '../../api/types';
import type { FieldSet } from './fieldpath';
import type { PatchMeta } from './patchmeta';

const MAX_ENTRIES = 1024;
const byMeta = new WeakMap<PatchMeta, Map<string, FieldSet>>();

/**
 * Metadata fields left out of every manager's set. Their values never shape the set (a string or
 * number is one leaf whatever it holds), so they are blanked in the cache key.
 */
const UNTRACKED_LEAVES = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'resourceVersion'];

function cacheKey(obj: KObject, subresource: string | undefined): string | undefined {
  const meta = obj.metadata;
  let masked: KObject = obj;
  if (meta && typeof meta === 'object') {
    const m: Record<string, unknown> = { ...meta };
    for (const f of UNTRACKED_LEAVES) {
      const v = m[f];
      if (typeof v === 'string') m[f] = '';
      else if (typeof v === 'number') m[f] = 0;
    }
    masked = { ...obj, metadata: m };
  }
  const text = JSON.stringify(masked);
  return text === undefined ? undefined : `${subresource ?? ''}\n${text}`;
}

/**
 * `compute()` (the fields `obj` sets as a new object, for a writer through `subresource`), or the
 * set remembered for an object with the same content. The set is shared: never modify it.
 */
export function createdFields(obj: KObject, meta: PatchMeta, subresource: string | undefined, compute: () => FieldSet): FieldSet {
  const key = cacheKey(obj, subresource);
  if (key === undefined) return compute();
  let cache = byMeta.get(meta);
  if (!cache) {
    cache = new Map();
    byMeta.set(meta, cache);
  }
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const set = compute();
  cache.set(key, set);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return set;
}
