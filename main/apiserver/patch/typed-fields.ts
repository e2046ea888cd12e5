// Field sets of values (structured-merge-diff ToFieldSet), comparisons of two values (Compare:
// added / removed / modified paths) and EnsureNamedFieldsAreMembers.
import { deepEqual, getOwn, hasOwn, isObject } from './json';
import { FieldSet, field, serializePathElement, type PathElement } from './fieldpath';
import type { PatchMeta } from './patchmeta';
import { isAssociativeList, isGranularMap, itemElement, keysAreNamed } from './typed-walk';

/** The fields a value sets: leaves, list items, unnamed map keys, and empty or null fields. */
export function toFieldSet(value: unknown, meta: PatchMeta): FieldSet {
  const set = new FieldSet();
  walkSet(value, meta, [], set);
  return set;
}

function walkSet(value: unknown, meta: PatchMeta, path: PathElement[], set: FieldSet): void {
  if (isAssociativeList(meta, value)) {
    const seen = new Set<string>();
    for (const item of value) {
      const pe = itemElement(meta, item);
      const key = serializePathElement(pe);
      if (seen.has(key)) continue;
      seen.add(key);
      const p = [...path, pe];
      walkSet(item, meta.elem(), p, set);
      set.insert(p);
    }
    return;
  }
  if (isGranularMap(meta, value)) {
    const named = keysAreNamed(meta);
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, field(k)];
      walkSet(v, meta.child(k), p, set);
      if (v === null || (isObject(v) && Object.keys(v).length === 0) || !named) set.insert(p);
    }
    return;
  }
  set.insert(path);
}

export interface Comparison { added: FieldSet; removed: FieldSet; modified: FieldSet }

/** The path being walked, as a stack shared by the whole walk, with each element's serialization. */
interface Trail { readonly pes: PathElement[]; readonly keys: string[] }

/**
 * What changed from `lhs` to `rhs`. A non-pointer struct missing under a present parent counts as
 * empty, as in Go's typed objects (so `spec` or `template` is never itself added or removed).
 */
export function compare(lhs: unknown, rhs: unknown, meta: PatchMeta): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  walkCompare(lhs, rhs, meta, { pes: [], keys: [] }, c, true, true);
  return c;
}

function isEmptyish(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function walkCompare(
  lhsIn: unknown, rhsIn: unknown, meta: PatchMeta, t: Trail, c: Comparison, lParent: boolean, rParent: boolean,
): void {
  const lhs = lhsIn === undefined && meta.embedded && lParent ? {} : lhsIn;
  const rhs = rhsIn === undefined && meta.embedded && rParent ? {} : rhsIn;
  // Equal values have no added, removed or modified path below them.
  if (lhs !== undefined && rhs !== undefined && deepEqual(lhs, rhs)) return;
  if (isEmptyish(lhs) && isEmptyish(rhs)) {
    // Both absent or empty: a leaf, which keeps the empty/absent distinction.
    leaf(lhs, rhs, t, c);
    return;
  }
  const bothLists = (lhs === undefined || isAssociativeList(meta, lhs)) && (rhs === undefined || isAssociativeList(meta, rhs));
  const bothMaps = !bothLists && (lhs === undefined || isGranularMap(meta, lhs)) && (rhs === undefined || isGranularMap(meta, rhs));
  if (bothLists) {
    compareLists((lhs ?? []), (rhs ?? []), meta, t, c);
  } else if (bothMaps) {
    const l = (lhs ?? {});
    const r = (rhs ?? {});
    for (const k of Object.keys(l)) compareField(l, r, k, meta, t, c, lhs !== undefined, rhs !== undefined);
    for (const k of Object.keys(r)) if (!hasOwn(l, k)) compareField(l, r, k, meta, t, c, lhs !== undefined, rhs !== undefined);
  } else {
    leaf(lhs, rhs, t, c);
    return;
  }
  if (t.pes.length === 0) return;
  if (lhs === undefined) c.added.insertSerialized(t.pes, t.keys);
  else if (rhs === undefined) c.removed.insertSerialized(t.pes, t.keys);
}

// (Plain functions rather than closures: the walk runs on every write.)
function compareField(
  l: Record<string, unknown>, r: Record<string, unknown>, k: string, meta: PatchMeta, t: Trail, c: Comparison, lDefined: boolean, rDefined: boolean,
): void {
  const lv = getOwn(l, k);
  const rv = getOwn(r, k);
  if (lv !== undefined && rv !== undefined && deepEqual(lv, rv)) return;
  const pe = field(k);
  t.pes.push(pe);
  t.keys.push(serializePathElement(pe));
  walkCompare(lv, rv, meta.child(k), t, c, lDefined, rDefined);
  t.pes.pop();
  t.keys.pop();
}

function leaf(lhs: unknown, rhs: unknown, t: Trail, c: Comparison): void {
  if (t.pes.length === 0) return;
  if (lhs === undefined && rhs !== undefined) c.added.insertSerialized(t.pes, t.keys);
  else if (rhs === undefined && lhs !== undefined) c.removed.insertSerialized(t.pes, t.keys);
  else if (!deepEqual(lhs, rhs)) c.modified.insertSerialized(t.pes, t.keys);
}

interface ListItem { pe: PathElement; item: unknown }

/** Items by serialized path element; the first of duplicates wins. */
function indexItems(list: unknown[], meta: PatchMeta): Map<string, ListItem> {
  const m = new Map<string, ListItem>();
  for (const item of list) {
    const pe = itemElement(meta, item);
    const k = serializePathElement(pe);
    if (!m.has(k)) m.set(k, { pe, item });
  }
  return m;
}

function compareLists(lhs: unknown[], rhs: unknown[], meta: PatchMeta, t: Trail, c: Comparison): void {
  const l = indexItems(lhs, meta);
  const r = indexItems(rhs, meta);
  const elem = meta.elem();
  for (const [k, e] of l) compareItem(k, e.pe, e.item, r.get(k)?.item, elem, t, c);
  for (const [k, e] of r) if (!l.has(k)) compareItem(k, e.pe, undefined, e.item, elem, t, c);
}

function compareItem(k: string, pe: PathElement, lv: unknown, rv: unknown, elem: PatchMeta, t: Trail, c: Comparison): void {
  t.pes.push(pe);
  t.keys.push(k);
  walkCompare(lv, rv, elem, t, c, false, false);
  t.pes.pop();
  t.keys.pop();
}

/** Adds, as members, the named fields above every path of the set (`a.b.c` also owns `a` and `b` if they are struct fields). */
export function ensureNamedFieldsAreMembers(set: FieldSet, meta: PatchMeta): FieldSet {
  const out = new FieldSet();
  for (const pe of set.memberEntries()) out.insert([pe]);
  for (const { pe, set: sub } of set.childEntries()) {
    if ('f' in pe && keysAreNamed(meta) && meta.type !== 'list') out.insert([pe]);
    const childMeta = 'f' in pe ? meta.child(pe.f) : meta.elem();
    const inner = ensureNamedFieldsAreMembers(sub, childMeta);
    for (const p of inner.paths()) out.insert([pe, ...p]);
  }
  return out;
}
