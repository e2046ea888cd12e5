// Strategic merge patch (`application/strategic-merge-patch+json`), following apimachinery's
// strategicpatch.StrategicMergeMapPatch as the API server runs it (MergeParallelList and
// IgnoreUnmatchedNulls both on). Directives: `$patch: replace|delete` (maps and list items),
// `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`. Pure: inputs are cloned.
import { PatchError } from './errors';
import { deepClone, getOwn, hasOwn, isObject, jsonKind, setKey, show, type JsonObject } from './json';
import type { PatchMeta } from './patchmeta';
import { normalizeElementOrder, partition, type ElementKind } from './strategic-order';
import { goAliasedServerOrder } from './strategic-alias';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

export function applyStrategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta): unknown {
  if (!isObject(patch)) throw new PatchError('invalid JSON document', 400);
  return mergeMap(isObject(original) ? deepClone(original) : {}, deepClone(patch), meta);
}

function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (DIRECTIVE in patch) return mapDirective(patch, meta);
  checkDirectiveKeys(patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, meta);

  for (const [rawKey, patchV] of Object.entries(patch)) {
    const isDeleteList = rawKey.startsWith(DELETE_FROM);
    const key = isDeleteList ? extractKey(rawKey, DELETE_FROM) : rawKey;
    const field = meta.child(key);
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const origV = getOwn(original, key);
    if (!hasOwn(original, key) || jsonKind(origV) !== jsonKind(patchV)) {
      if (!isDeleteList) setClean(original, key, patchV, field);
      continue;
    }
    if (isObject(origV) && isObject(patchV)) {
      setKey(original, key, mapStrategy(field) === 'replace' ? clean(patchV, field) : mergeMap(origV, patchV, field));
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      setKey(original, key, mergeListField(origV, patchV, field, isDeleteList));
    } else if (!isDeleteList) {
      setKey(original, key, patchV);
    }
  }
  return original;
}

function mapDirective(patch: JsonObject, meta: PatchMeta): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    const rest = { ...patch };
    delete rest[DIRECTIVE];
    return mergeMap({}, rest, meta);
  }
  if (directive === 'delete') return {};
  throw new PatchError(`unknown patch type: ${String(directive)} in map: ${show(patch)}`);
}

function checkDirectiveKeys(patch: JsonObject): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith('$') || key === RETAIN_KEYS || key.startsWith(SET_ORDER) || key.startsWith(DELETE_FROM)) continue;
    throw new PatchError(`unknown strategic merge patch directive ${JSON.stringify(key)} in map: ${show(patch)}`);
  }
}

function extractKey(key: string, prefix: string): string {
  const rest = key.slice(prefix.length);
  if (rest === '') {
    throw new PatchError(prefix === DELETE_FROM ? 'invalid patch format of primitive list' : 'invalid patch format of setElementOrder list', 400);
  }
  return rest;
}

function mapStrategy(field: PatchMeta): 'replace' | 'merge' {
  return field.strategy === 'replace' ? 'replace' : 'merge';
}

function listMerges(field: PatchMeta): boolean {
  return field.type === 'list' && (field.strategy === 'merge' || field.strategy === 'merge,retainKeys');
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const keep = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw new PatchError('invalid patch format of retainKeys', 400);
  const allowed = new Set(keep.map((k) => String(k)));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM) || k.startsWith(SET_ORDER)) continue;
    if (!allowed.has(k)) throw new PatchError('invalid patch format of retainKeys', 400);
  }
  for (const k of Object.keys(original)) if (!allowed.has(k)) delete original[k];
}

/** A value new to the original: directives are resolved against nothing and nulls dropped. */
function clean(value: unknown, field: PatchMeta): unknown {
  if (isObject(value)) return mergeMap({}, value, field);
  if (Array.isArray(value)) {
    const elem = field.elem();
    return value.filter((x) => !(isObject(x) && DIRECTIVE in x)).map((x) => clean(x, elem));
  }
  return value;
}

function setClean(target: JsonObject, key: string, value: unknown, field: PatchMeta): void {
  if (isObject(value) && DIRECTIVE in value) {
    delete target[key];
    return;
  }
  setKey(target, key, clean(value, field));
}

function mergeListField(original: unknown[], patch: unknown[], field: PatchMeta, isDeleteList: boolean): unknown[] {
  if (listMerges(field) || isDeleteList) return mergeSlice(original, patch, field, isDeleteList);
  return clean(patch, field) as unknown[];
}

function elementKind(...lists: ReadonlyArray<readonly unknown[] | undefined>): ElementKind | undefined {
  let seen: string | undefined;
  for (const list of lists) {
    for (const item of list ?? []) {
      const k = jsonKind(item);
      if (k === 'slice') throw new PatchError('lists of lists are not supported');
      if (seen !== undefined && seen !== k) throw new PatchError(`list element types are not identical: ${show(lists)}`);
      seen = k;
    }
  }
  if (seen === undefined) return undefined;
  return seen === 'map' ? 'map' : 'primitive';
}

function mergeSlice(original: unknown[], patch: unknown[], field: PatchMeta, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch) ?? 'primitive';
  const mergeKey = field.mergeKey ?? '';
  let merged: unknown[];
  let orig = original;
  let items = patch;
  if (kind === 'primitive') {
    if (isDeleteList) return original.filter((x) => !patch.includes(x));
    merged = [];
    for (const x of [...original, ...patch]) if (!merged.includes(x)) merged.push(x);
  } else {
    if (mergeKey === '') throw new PatchError('cannot merge lists without merge key');
    [orig, items] = applySpecialElements(original, patch, mergeKey, field.elem());
    merged = mergeByKey(orig, items, mergeKey, field.elem());
  }
  const [patchItems, serverOnly] = partition(merged, items, mergeKey, kind);
  return normalizeElementOrder(patchItems, serverOnly, items, orig, mergeKey, kind);
}

/** Handles `$patch: delete|replace` items; returns the new original and the patch without them. */
function applySpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elem: PatchMeta): [unknown[], unknown[]] {
  let orig = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    const m = item as JsonObject;
    if (!(DIRECTIVE in m)) {
      plain.push(item);
      continue;
    }
    const directive = m[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in m)) throw new PatchError(`map: ${show(m)} does not contain declared merge key: ${mergeKey}`);
      orig = orig.filter((x) => !(isObject(x) && x[mergeKey] === m[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new PatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw new PatchError(`unknown patch type: ${String(directive)} in map: ${show(m)}`);
    }
  }
  if (replace) return [plain.map((x) => clean(x, elem)), []];
  return [orig, plain];
}

function mergeByKey(original: unknown[], patch: unknown[], mergeKey: string, elem: PatchMeta): unknown[] {
  const out = [...original];
  for (const item of patch) {
    const m = item as JsonObject;
    if (!(mergeKey in m)) throw new PatchError(`map: ${show(m)} does not contain declared merge key: ${mergeKey}`);
    const at = out.findIndex((x) => isObject(x) && x[mergeKey] === m[mergeKey]);
    if (at >= 0) out[at] = mergeMap(out[at] as JsonObject, m, elem);
    else out.push(clean(m, elem));
  }
  return out;
}

/** `$setElementOrder/<list>`: merges that list now and orders it (setElementOrder > patch > live order). */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw new PatchError('invalid patch format of setElementOrder list', 400);
    const listKey = extractKey(key, SET_ORDER);
    const field = meta.child(listKey);
    const origList = getOwn(original, listKey);
    const patchList = getOwn(patch, listKey);
    if (origList !== undefined && !Array.isArray(origList)) throw new PatchError(`expected a []interface {}, but received a ${jsonKind(origList)}`);
    if (patchList !== undefined && patchList !== null && !Array.isArray(patchList)) {
      throw new PatchError(`expected a []interface {}, but received a ${jsonKind(patchList)}`);
    }
    const mergeKey = listMerges(field) ? (field.mergeKey ?? '') : '';
    const patchArr = Array.isArray(patchList) ? patchList : undefined;
    if (patchArr) validateOrder(patchArr, order, mergeKey);
    let merged: unknown[];
    if (origList !== undefined && patchArr === undefined) {
      if (patchList === null) continue;
      merged = origList;
    } else if (origList === undefined && patchArr !== undefined) {
      merged = clean(patchArr, field) as unknown[];
    } else if (origList !== undefined && patchArr !== undefined) {
      merged = mergeListField(origList, patchArr, field, false);
    } else {
      continue;
    }
    const kind = elementKind(origList, patchArr);
    if (kind === undefined || merged.length === 0) {
      setKey(original, listKey, merged);
    } else {
      const [inOrder, serverOnly] = partition(merged, order, mergeKey, kind);
      const serverOrder = origList && patchArr && kind === 'map' && listMerges(field)
        ? goAliasedServerOrder(origList, patchArr, mergeKey)
        : (origList ?? []);
      setKey(original, listKey, normalizeElementOrder(inOrder, serverOnly, order, serverOrder, mergeKey, kind));
    }
    delete patch[listKey];
  }
}

/** The items of the patch list must appear in `$setElementOrder` in the same relative order. */
function validateOrder(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((x) => !(isObject(x) && DIRECTIVE in x));
  const same = (a: unknown, b: unknown): boolean => {
    if (mergeKey === '') return a === b;
    if (!isObject(a) || !(mergeKey in a)) throw new PatchError(`map: ${show(a)} does not contain declared merge key: ${mergeKey}`);
    if (!isObject(b) || !(mergeKey in b)) throw new PatchError(`map: ${show(b)} does not contain declared merge key: ${mergeKey}`);
    return a[mergeKey] === b[mergeKey];
  };
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (same(items[p], order[o])) p++;
    o++;
  }
  if (p < items.length) {
    throw new PatchError(`The order in patch list:\n${show(patchList)}\n doesn't match $setElementOrder list:\n${show(order)}\n`);
  }
}
