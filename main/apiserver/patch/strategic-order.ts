// The ordering rules of strategic merge patch lists (apimachinery strategicpatch normalizeElementOrder):
// items named by the patch (or by `$setElementOrder`) keep the patch's order, items only on the server
// keep the server's order, and the two runs are interleaved by the server's order where both are known.
import { PatchError } from './errors';
import { isObject, show } from './json';

export type ElementKind = 'map' | 'primitive';

/** The identity of a list item: its merge key value for maps, the item itself for primitives. */
export function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind === 'map') return isObject(item) ? item[mergeKey] : undefined;
  return item;
}

export function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const id = identity(item, mergeKey, kind);
  return list.findIndex((x) => identity(x, mergeKey, kind) === id);
}

function requireMergeKey(list: readonly unknown[], mergeKey: string): void {
  for (const item of list) {
    if (!isObject(item) || !(mergeKey in item)) {
      throw new PatchError(`map: ${show(item)} does not contain declared merge key: ${mergeKey}`);
    }
  }
}

/** Sorts `toSort` by the positions of its items in `order`; `$patch: delete` items go last. */
export function normalizeSliceOrder(toSort: readonly unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let items = [...toSort];
  let deletes: unknown[] = [];
  if (kind === 'map') {
    requireMergeKey(toSort, mergeKey);
    requireMergeKey(order, mergeKey);
    deletes = items.filter((x) => isObject(x) && x.$patch === 'delete');
    items = items.filter((x) => !(isObject(x) && x.$patch === 'delete'));
  }
  const decorated = items.map((item, pos) => ({ item, pos, at: indexIn(order, item, mergeKey, kind) }));
  decorated.sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : 0) || a.pos - b.pos);
  return [...decorated.map((d) => d.item), ...deletes];
}

/** Interleaves server-only items (left) into patch items (right) by the server order. */
export function mergeSortedSlice(
  left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: ElementKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: readonly unknown[], serverOnly: readonly unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[],
  mergeKey: string, kind: ElementKind,
): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** Splits `list` into the items present in `by` (by identity) and the others. */
export function partition(list: readonly unknown[], by: readonly unknown[], mergeKey: string, kind: ElementKind): [unknown[], unknown[]] {
  if (kind === 'map') requireMergeKey(list, mergeKey);
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of list) (indexIn(by, item, mergeKey, kind) >= 0 ? inBy : rest).push(item);
  return [inBy, rest];
}
