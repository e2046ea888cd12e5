// The map legend's apps with their pod counts, over every pod the UI watches, kept up to date from the pods informer's
// changes (a frame in which 3 pods changed counts those 3 out and in again, not the 10,000 pods of a big map); counted
// again in full when the list is new or the apps' grouping changed (an owner did).
import { computed } from 'vue';
import type { ComputedRef } from 'vue';
import { AppCounts, type AppSummary } from '../lib/app-groups';
import { usePodsStore } from '../stores/pods';
import type { PodObj } from '../stores/pods';
import { usePodChanges } from './usePodChanges';
import type { AppMap } from './useAppMap';

function sameCounts(a: AppSummary[], b: AppSummary[]): boolean {
  return a.length === b.length && a.every((s, i) => s.app.key === b[i].app.key && s.pods === b[i].pods);
}

export function useAppCounts(apps: AppMap): ComputedRef<AppSummary[]> {
  const pods = usePodsStore();
  let counts: AppCounts | undefined;
  let countedAt = -1;
  let last: AppSummary[] = [];
  /** The informer's Map counted (a new Map is a new list). */
  let countedItems: Map<string, PodObj> | undefined;
  const changes = usePodChanges(() => counts !== undefined, () => {
    counts = undefined;
  });
  return computed(() => {
    const items = pods.items; // triggered (at most once a frame) after the changes were told
    const generation = apps.generation.value;
    if (!counts || generation !== countedAt || items !== countedItems) {
      counts = new AppCounts((p) => apps.appOf(p));
      countedItems = items;
      for (const p of items.values()) counts.add(p);
      countedAt = generation;
      changes.clear();
    } else {
      const todo = changes.take();
      if (todo.length === 0) return last;
      for (const [before, after] of todo) {
        if (before) counts.add(before, -1);
        if (after) counts.add(after);
      }
    }
    const next = counts.summaries();
    if (!sameCounts(next, last)) last = next;
    return last;
  });
}
