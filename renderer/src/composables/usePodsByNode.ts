// Pods grouped by node (for the map, `filtered`: those the namespace filter and the search show).
// A node's array is reused while its pods are unchanged, so cards whose pods did not change do not
// re-render when others do.
import { computed } from 'vue';
import type { ComputedRef } from 'vue';
import { usePodsStore } from '../stores/pods';
import type { PodObj } from '../stores/pods';
import { useFind } from './useFind';

export const UNSCHEDULED = '';

function sameItems(a: PodObj[] | undefined, b: PodObj[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function byName(a: PodObj, b: PodObj): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function sorted(arr: PodObj[]): boolean {
  for (let i = 1; i < arr.length; i++) if (byName(arr[i - 1], arr[i]) > 0) return false;
  return true;
}

export function usePodsByNode(filtered = false): ComputedRef<Map<string, PodObj[]>> {
  const pods = usePodsStore();
  const find = useFind();
  let previous = new Map<string, PodObj[]>();
  return computed(() => {
    const next = new Map<string, PodObj[]>();
    const keep = filtered ? find.predicate.value : undefined;
    for (const p of pods.items.values()) {
      if (keep && !keep(p)) continue;
      const node = p.spec?.nodeName ?? UNSCHEDULED;
      let arr = next.get(node);
      if (!arr) next.set(node, (arr = []));
      arr.push(p);
    }
    for (const [node, arr] of next) {
      // Code-unit order (names are DNS labels): far cheaper than localeCompare over 10,000 pods. The informer's Map
      // keeps its order across updates, so after the first time the arrays usually come sorted: checked, not sorted.
      if (!sorted(arr)) arr.sort(byName);
      const old = previous.get(node);
      if (old && sameItems(old, arr)) next.set(node, old);
    }
    previous = next;
    return next;
  });
}
