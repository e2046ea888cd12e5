// How many pods the search matches among those the namespace filter shows, for the search box while it filters. Kept
// up to date from the pods informer's changes (a frame in which 3 pods changed looks at those 3, not at every pod);
// counted again in full when the list is new or the filter changes.
import { computed } from 'vue';
import type { ComputedRef } from 'vue';
import type { KObject } from '../../../main/api/types';
import { usePodsStore } from '../stores/pods';
import type { PodObj } from '../stores/pods';
import { useFind } from './useFind';
import { usePodChanges } from './usePodChanges';

export interface FindCount {
  /** Pods shown by the namespace filter and matching the search. */
  n: number;
  /** Pods shown by the namespace filter. */
  total: number;
}

export function useFindCount(): ComputedRef<FindCount | undefined> {
  const pods = usePodsStore();
  const find = useFind();
  let counted: { items: Map<string, PodObj>; inNs: (o: KObject) => boolean; keep: (o: KObject) => boolean; n: number; total: number } | undefined;
  const changes = usePodChanges(() => counted !== undefined, () => {
    counted = undefined;
  });
  const tally = (p: PodObj, sign: 1 | -1) => {
    if (!counted?.inNs(p)) return;
    counted.total += sign;
    if (counted.keep(p)) counted.n += sign;
  };
  return computed(() => {
    const items = pods.items; // triggered (at most once a frame) after the changes were told
    if (!find.filtering.value) {
      counted = undefined;
      return undefined;
    }
    const inNs = find.inNamespaces.value;
    const keep = find.predicate.value;
    if (!counted || counted.items !== items || counted.inNs !== inNs || counted.keep !== keep) {
      counted = { items, inNs, keep, n: 0, total: 0 };
      changes.clear();
      for (const p of items.values()) tally(p, 1);
    } else {
      for (const [before, after] of changes.take()) {
        if (before) tally(before, -1);
        if (after) tally(after, 1);
      }
    }
    return { n: counted.n, total: counted.total };
  });
}
