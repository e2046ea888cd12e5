// The pods informer's changes since a view last took them, for views that keep something derived from every pod (the
// map's pods by node, the legend's counts, the search count) and update only what changed. Changes are kept only
// while `keeping()` says the view holds a full result to update (before that, its next read is a full pass anyway);
// a new list drops them and calls `reset`.
import { onScopeDispose } from 'vue';
import { usePodsStore } from '../stores/pods';
import type { PodObj } from '../stores/pods';
import type { Change } from '../stores/informer';

export interface PodChanges {
  /** The changes since the last take (or clear), oldest first. */
  take(): Array<Change<PodObj>>;
  /** Drops the changes kept (the view has just done a full pass). */
  clear(): void;
}

export function usePodChanges(keeping: () => boolean, reset: () => void): PodChanges {
  const pods = usePodsStore();
  let pending: Array<Change<PodObj>> = [];
  onScopeDispose(pods.subscribe({
    changes: (c) => {
      if (keeping()) for (const x of c) pending.push(x);
    },
    reset: () => {
      reset();
      pending = [];
    },
  }));
  return {
    take() {
      const taken = pending;
      pending = [];
      return taken;
    },
    clear() {
      pending = [];
    },
  };
}
