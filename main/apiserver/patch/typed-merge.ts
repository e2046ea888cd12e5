// Merging an applied configuration into a live object (structured-merge-diff typed Merge) and removing
// the items of a field set from a value (RemoveItems). Both return fresh values.
import { deepClone, getOwn, hasOwn, setKey } from './json';
import { serializePathElement, field, type FieldSet, type PathElement } from './fieldpath';
import type { PatchMeta } from './patchmeta';
import { isAssociativeList, isGranularMap, itemElement } from './typed-walk';

/** `rhs` (the applied config) wins on leaves; maps merge by key; associative lists merge by item. */
export function mergeTyped(lhs: unknown, rhs: unknown, meta: PatchMeta): unknown {
  if (rhs === undefined) return deepClone(lhs);
  if (lhs === undefined || rhs === null) return deepClone(rhs);
  if (isAssociativeList(meta, lhs) && isAssociativeList(meta, rhs)) return mergeLists(lhs, rhs, meta);
  if (isGranularMap(meta, lhs) && isGranularMap(meta, rhs)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(lhs)) setKey(out, k, hasOwn(rhs, k) ? mergeTyped(v, rhs[k], meta.child(k)) : deepClone(v));
    for (const [k, v] of Object.entries(rhs)) if (!hasOwn(lhs, k)) setKey(out, k, deepClone(v));
    for (const k of Object.keys(out)) if (getOwn(out, k) === null && getOwn(rhs, k) === null) delete out[k];
    return out;
  }
  return deepClone(rhs);
}

interface Indexed {
  /** The path element of every item, in order (duplicates included). */
  pes: PathElement[];
  /** Item by key; undefined for a key that appears more than once. */
  items: Map<string, unknown>;
}

function index(list: unknown[], meta: PatchMeta): Indexed {
  const pes: PathElement[] = [];
  const items = new Map<string, unknown>();
  for (const item of list) {
    const pe = itemElement(meta, item);
    const k = serializePathElement(pe);
    items.set(k, items.has(k) ? undefined : item);
    pes.push(pe);
  }
  return { pes, items };
}

/**
 * Keeps live-only items where they were and shared/new items in the applied order (typed/merge.go).
 * Live items with a duplicated key are kept as they are unless the config names that key, which
 * then replaces them all with its one item.
 */
function mergeLists(lhs: unknown[], rhs: unknown[], meta: PatchMeta): unknown[] {
  const l = index(lhs, meta);
  const r = index(rhs, meta);
  const key = serializePathElement;
  const shared = r.pes.map(key).filter((k) => l.items.has(k));
  let nextShared: string | undefined = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const elem = meta.elem();
  const take = (k: string): void => {
    merged.add(k);
    out.push(mergeTyped(l.items.get(k), r.items.get(k), elem));
  };
  let li = 0;
  let ri = 0;
  while (li < l.pes.length || ri < r.pes.length) {
    if (li < l.pes.length && ri < r.pes.length) {
      const lk = key(l.pes[li]);
      if (lk === key(r.pes[ri])) {
        if (!merged.has(lk)) take(lk);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (r.items.has(lk) && nextShared !== undefined && nextShared !== lk) {
        li++;
        continue;
      }
    }
    if (li < l.pes.length) {
      const lk = key(l.pes[li]);
      if (!r.items.has(lk)) {
        out.push(deepClone(lhs[li]));
        li++;
        continue;
      } else if (merged.has(lk)) {
        li++;
      }
    }
    if (ri < r.pes.length) {
      const rk = key(r.pes[ri]);
      if (!merged.has(rk)) take(rk);
      ri++;
      if (nextShared === rk) nextShared = shared.shift();
    }
  }
  return out;
}

/** The value without the members of `set` (a removed map or list that ends up empty is dropped). */
export function removeItems(value: unknown, set: FieldSet, meta: PatchMeta): unknown {
  if (set.isEmpty()) return deepClone(value);
  if (isAssociativeList(meta, value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const pe = itemElement(meta, item);
      if (set.hasMember(pe)) continue;
      const sub = set.withPrefix(pe);
      out.push(sub.isEmpty() ? deepClone(item) : removeItems(item, sub, meta.elem()));
    }
    return out.length > 0 ? out : undefined;
  }
  if (isGranularMap(meta, value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const pe = field(k);
      if (set.hasMember(pe)) continue;
      const sub = set.withPrefix(pe);
      const kept = sub.isEmpty() ? deepClone(v) : removeItems(v, sub, meta.child(k));
      if (kept !== undefined) setKey(out, k, kept);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return deepClone(value);
}
