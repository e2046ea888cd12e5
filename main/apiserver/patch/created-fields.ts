// The fields a create sets, remembered by the object's content and by its shape. Objects made from
// one template (the pods of a ReplicaSet) differ only in fields that ownership never records (name,
// uid, creationTimestamp, …: STRIPPED); others (events) only in values, never in fields. Comparing
// a whole new object field by field is the costliest part of recording its managed fields. A
// remembered set also keeps its encoding.
import type { KObject } from '../../api/types';
import type { FieldSet } from './fieldpath';
import type { PatchMeta } from './patchmeta';

const MAX_ENTRIES = 1024;

/** The remembered sets of one kind: by content (the cheaper key) and by shape (the wider one). */
interface Caches { byContent: Map<string, FieldSet>; byShape: Map<string, FieldSet> }
const byMeta = new WeakMap<PatchMeta, Caches>();

/**
 * Metadata fields left out of every manager's set. Their values never shape the set (a string or
 * number is one leaf whatever it holds), so they are blanked in the cache key.
 */
const UNTRACKED_LEAVES = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'resourceVersion'];

function contentKey(obj: KObject, subresource: string | undefined): string | undefined {
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
 * Every scalar that is not inside a list as 0. A scalar under a map or struct is one leaf whatever
 * its value (a string, number or boolean all make the same path; null is kept as it is), so objects
 * that differ only in such values (an event's message, involvedObject, times) have one shape. Values
 * inside lists are kept exactly: they name the items of associative lists.
 */
function maskScalars(_key: string, v: unknown): unknown {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return 0;
  if (Array.isArray(v)) return JSON.stringify(v) ?? null;
  return v;
}

function shapeKey(obj: KObject, subresource: string | undefined): string {
  return `${subresource ?? ''}\n${JSON.stringify(obj, maskScalars) as string | undefined ?? ''}`;
}

function remember(cache: Map<string, FieldSet>, key: string, set: FieldSet): void {
  cache.set(key, set);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
}

function lookUp(cache: Map<string, FieldSet>, key: string): FieldSet | undefined {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/**
 * `compute()` (the fields `obj` sets as a new object, for a writer through `subresource`), or the
 * set remembered for an object with the same content, else with the same shape (the content key is
 * the cheaper one to make: objects of one template hit there). The set is shared: never modify it.
 */
export function createdFields(obj: KObject, meta: PatchMeta, subresource: string | undefined, compute: () => FieldSet): FieldSet {
  const key = contentKey(obj, subresource);
  if (key === undefined) return compute();
  let caches = byMeta.get(meta);
  if (!caches) {
    caches = { byContent: new Map(), byShape: new Map() };
    byMeta.set(meta, caches);
  }
  const hit = lookUp(caches.byContent, key);
  if (hit) return hit;
  // A shape hit is not remembered by content: objects of one shape but ever new content (events) would crowd out the templates.
  const shape = shapeKey(obj, subresource);
  const known = lookUp(caches.byShape, shape);
  if (known) return known;
  const set = compute();
  remember(caches.byShape, shape, set);
  remember(caches.byContent, key, set);
  return set;
}
