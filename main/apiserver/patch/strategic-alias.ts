// The live order that `$setElementOrder` sorting sees in Kubernetes. apimachinery keeps the live list
// (a slice with capacity == length, as converted from the typed object) and then deletes items from
// it and appends patch items to it in place, so the slice it later uses as "server order" shows those
// edits through the shared backing array: deletions shift later items left and an appended item
// lands in the freed slots. Kubernetes' expected results depend on it (e.g. deleting item 1 and
// adding item 3 to [1 2 4] orders server-only item 4 before 3), so we reproduce it.
import { isObject } from './json';

export function goAliasedServerOrder(original: readonly unknown[], patch: readonly unknown[], mergeKey: string): unknown[] {
  const backing = [...original];
  const cap = original.length;
  let len = original.length;
  const keyOf = (x: unknown): unknown => (isObject(x) ? x[mergeKey] : undefined);
  const plain: unknown[] = [];
  for (const item of patch) {
    if (!isObject(item) || !('$patch' in item)) {
      plain.push(item);
      continue;
    }
    if (item.$patch === 'replace') return [...original];
    if (item.$patch !== 'delete') continue;
    for (;;) {
      const at = backing.slice(0, len).findIndex((x) => keyOf(x) === item[mergeKey]);
      if (at < 0) break;
      for (let i = at; i < len - 1; i++) backing[i] = backing[i + 1];
      len--;
    }
  }
  for (const item of plain) {
    if (backing.slice(0, len).some((x) => keyOf(x) === keyOf(item))) continue;
    if (len >= cap) break; // Go reallocates: later appends no longer touch the live slice.
    backing[len++] = item;
  }
  return backing.slice(0, original.length);
}
