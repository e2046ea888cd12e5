// Pods grouped by node (for the map, `filtered`: those the namespace filter and the search show), each node's pods by
// name. Kept up to date from the informer's changes: a frame in which 3 pods changed touches those pods' nodes only,
// not the 10,000 pods of a big map (grouped again in full only when the list is new or the filter changes). A node's
// array is reused while its pods are unchanged, so cards whose pods did not change do not re-render when others do.
import { computed } from 'vue';
import type { ComputedRef } from 'vue';
import { usePodsStore } from '../stores/pods';
import type { PodObj } from '../stores/pods';
import type { Change } from '../stores/informer';
import { useFind } from './useFind';
import { usePodChanges } from './usePodChanges';

export const UNSCHEDULED = '';

function byName(a: PodObj, b: PodObj): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function sorted(arr: PodObj[]): boolean {
  for (let i = 1; i < arr.length; i++) if (byName(arr[i - 1], arr[i]) > 0) return false;
  return true;
}

function sameItems(a: PodObj[], b: PodObj[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const nodeOf = (p: PodObj): string => p.spec?.nodeName ?? UNSCHEDULED;

/** Inserts `p` into `arr` (sorted by name) at its place. */
function insertSorted(arr: PodObj[], p: PodObj): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byName(arr[mid], p) <= 0) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, p);
}

/** Every pod `keep` keeps, by node and name. */
export function groupByNode(pods: Iterable<PodObj>, keep: ((p: PodObj) => boolean) | undefined): Map<string, PodObj[]> {
  const next = new Map<string, PodObj[]>();
  for (const p of pods) {
    if (keep && !keep(p)) continue;
    const node = nodeOf(p);
    let arr = next.get(node);
    if (!arr) next.set(node, (arr = []));
    arr.push(p);
  }
  // Code-unit order (names are DNS labels): far cheaper than localeCompare over 10,000 pods. The list comes sorted by
  // key, so the arrays usually come sorted: checked, not sorted.
  for (const arr of next.values()) if (!sorted(arr)) arr.sort(byName);
  return next;
}

/**
 * The grouping after `changes` (`keep` the same as when `previous` was made): a new Map in which only the nodes whose
 * pods changed have new arrays; a node left without pods is dropped.
 */
export function applyChanges(
  previous: Map<string, PodObj[]>, changes: ReadonlyArray<Change<PodObj>>, keep: ((p: PodObj) => boolean) | undefined,
): Map<string, PodObj[]> {
  const next = new Map(previous);
  const copied = new Set<string>();
  const arrayOf = (node: string): PodObj[] => {
    let arr = next.get(node);
    if (!copied.has(node)) {
      arr = arr ? arr.slice() : [];
      next.set(node, arr);
      copied.add(node);
    }
    return arr as PodObj[];
  };
  for (const [before, after] of changes) {
    if (before && (!keep || keep(before))) {
      const arr = arrayOf(nodeOf(before));
      const i = arr.indexOf(before);
      if (i >= 0) arr.splice(i, 1);
    }
    if (after && (!keep || keep(after))) insertSorted(arrayOf(nodeOf(after)), after);
  }
  for (const node of copied) if (next.get(node)?.length === 0) next.delete(node);
  return next;
}

export function usePodsByNode(filtered = false): ComputedRef<Map<string, PodObj[]>> {
  const pods = usePodsStore();
  const find = useFind();
  let grouped = new Map<string, PodObj[]>();
  let keptBy: ((p: PodObj) => boolean) | undefined;
  /** Group every pod again at the next read (a new list; and at first). */
  let whole = true;
  /** The informer's Map grouped (a new Map is a new list). */
  let groupedItems: Map<string, PodObj> | undefined;
  const changes = usePodChanges(() => !whole, () => {
    whole = true;
  });
  return computed(() => {
    const items = pods.items; // triggered (at most once a frame) after the changes were told
    const keep = filtered ? find.predicate.value : undefined;
    if (whole || keep !== keptBy || items !== groupedItems) {
      const previous = grouped;
      grouped = groupByNode(items.values(), keep);
      for (const [node, arr] of grouped) {
        const old = previous.get(node);
        if (old && sameItems(old, arr)) grouped.set(node, old);
      }
      keptBy = keep;
      groupedItems = items;
      whole = false;
      changes.clear();
    } else {
      const todo = changes.take();
      if (todo.length) grouped = applyChanges(grouped, todo, keep);
    }
    return grouped;
  });
}
