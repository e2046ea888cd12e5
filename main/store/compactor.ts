// The store's history window as kube-apiserver keeps etcd's (apiserver/pkg/storage/etcd3/compact.go): every
// interval it compacts to the revision that was current one interval earlier, so reads and watches from the
// last interval (at most two) stay possible; the first tick only records a revision ("we don't compact on
// bootstrap"). kube-apiserver's --etcd-compaction-interval defaults to 5 minutes; 0 turns compaction off.
import type { Store } from './types';
import { compactionIntervalProblem } from '../api/compaction';

export interface CompactorState {
  /** 0: never compacted automatically. */
  intervalMs: number;
  /** The revision the next tick compacts to (0: none recorded yet). */
  pendingRevision: number;
  /** When the next tick runs (ms since the epoch), if one is scheduled. */
  nextAt?: number;
  /** When the last compaction ran and to which revision. */
  last?: { at: number; revision: number };
  /** Compactions run, and how long they held the event loop. */
  runs: CompactionRuns;
}

export interface CompactionRuns {
  count: number;
  /** The longest synchronous step of the last run (ms): writes and requests wait this long at most. */
  lastPauseMs: number;
  /** The longest synchronous step of any run (ms). */
  maxPauseMs: number;
  /** Synchronous steps the last run took. */
  lastSteps: number;
}

export interface Compactor {
  readonly state: CompactorState;
  /** A new interval (ms, 0: off) takes effect at once: the next tick comes one new interval from now. */
  setIntervalMs(ms: number): void;
  stop(): void;
}

export interface CompactorOptions {
  now?: () => number;
  /** Called after setIntervalMs took a new interval (to keep it for the next start). */
  onChange?: (intervalMs: number) => void;
}

export function startCompactor(store: Pick<Store, 'revision' | 'compact'>, intervalMs: number, opts: CompactorOptions = {}): Compactor {
  const now = opts.now ?? Date.now;
  const state: CompactorState = { intervalMs, pendingRevision: 0, runs: { count: 0, lastPauseMs: 0, maxPauseMs: 0, lastSteps: 0 } };
  let timer: NodeJS.Timeout | undefined;

  const tick = (): void => {
    timer = undefined;
    const target = state.pendingRevision;
    state.pendingRevision = store.revision;
    if (target > 0) {
      try {
        const t0 = performance.now();
        store.compact(target);
        recordRun(state.runs, [performance.now() - t0]);
        state.last = { at: now(), revision: target };
      } catch {
        // A closed store: nothing to keep any more.
        return;
      }
    }
    schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    state.nextAt = undefined;
    if (state.intervalMs <= 0) return;
    timer = setTimeout(tick, state.intervalMs);
    timer.unref();
    state.nextAt = now() + state.intervalMs;
  };
  schedule();

  return {
    state,
    setIntervalMs(ms) {
      const problem = compactionIntervalProblem(ms);
      if (problem) throw new RangeError(problem);
      state.intervalMs = ms;
      schedule();
      opts.onChange?.(ms);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      state.nextAt = undefined;
    },
  };
}

function recordRun(runs: CompactionRuns, stepsMs: readonly number[]): void {
  const pause = Math.max(0, ...stepsMs);
  runs.count++;
  runs.lastPauseMs = pause;
  runs.maxPauseMs = Math.max(runs.maxPauseMs, pause);
  runs.lastSteps = stepsMs.length;
}
