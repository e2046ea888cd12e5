// The store's history window as kube-apiserver keeps etcd's (apiserver/pkg/storage/etcd3/compact.go): every
// interval it compacts to the revision that was current one interval earlier, so reads and watches from the
// last interval (at most two) stay possible; the first tick only records a revision ("we don't compact on
// bootstrap"). kube-apiserver's --etcd-compaction-interval defaults to 5 minutes; 0 turns compaction off.
import type { Store } from './types';
import type { SqliteStore } from './sqlite-store';
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
  /** The longest step of each kind in the last run (ms): compaction transactions, page give-backs, the checkpoint. */
  lastPhasesMs: Record<Phase, number>;
}

type Phase = 'compact' | 'vacuum' | 'checkpoint';
interface Step { phase: Phase; ms: number }

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

/** What the compactor needs of a store; with the steps, it compacts, vacuums and checkpoints a step at a time. */
export type CompactedStore = Pick<Store, 'revision' | 'compact'> & Partial<Pick<SqliteStore, 'compactStep' | 'vacuumStep' | 'checkpoint'>>;

/** Pages given back to the file system in one step at most (512 KiB with 4 KiB pages). */
const VACUUM_STEP_PAGES = 128;
/** Revisions compacted in one transaction at most. */
const COMPACT_STEP_REVISIONS = 200;
/**
 * What one synchronous step may take (ms). A step over it halves the next one's size (down to `min`); one under half
 * of it doubles it (up to `max`). On a busy machine a step's wall time stretches with the CPU it waits for: smaller
 * steps keep the pause a request can meet short there too, at the cost of more turns.
 */
export const STEP_BUDGET_MS = 25;

/** The size of the next step after one of `size` that took `ms`. Pure. */
export function nextStepSize(size: number, ms: number, min: number, max: number): number {
  if (ms > STEP_BUDGET_MS) return Math.max(min, Math.floor(size / 2));
  if (ms < STEP_BUDGET_MS / 2) return Math.min(max, size * 2);
  return size;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Compacts to `target` in bounded steps, then gives the freed pages back and truncates the WAL, each step a
 * synchronous piece between turns of the event loop (writes and requests run between them). Returns each step's ms.
 */
async function compactInSteps(store: CompactedStore, target: number, stopped: () => boolean): Promise<Step[]> {
  const steps: Step[] = [];
  let phase: Phase = 'compact';
  const timed = <T>(f: () => T): T => {
    const t0 = performance.now();
    try {
      return f();
    } finally {
      steps.push({ phase, ms: performance.now() - t0 });
    }
  };
  const { compactStep, vacuumStep, checkpoint } = store;
  if (!compactStep || !vacuumStep || !checkpoint) {
    timed(() => store.compact(target));
    return steps;
  }
  const lastMs = (): number => steps[steps.length - 1].ms;
  let revisions = COMPACT_STEP_REVISIONS;
  while (!timed(() => compactStep.call(store, target, revisions)).done) {
    revisions = nextStepSize(revisions, lastMs(), 10, COMPACT_STEP_REVISIONS);
    await nextTurn();
    if (stopped()) return steps;
  }
  phase = 'vacuum';
  let pages = VACUUM_STEP_PAGES;
  for (;;) {
    await nextTurn();
    if (stopped()) return steps;
    if (timed(() => vacuumStep.call(store, pages)) === 0) break;
    pages = nextStepSize(pages, lastMs(), 8, VACUUM_STEP_PAGES);
  }
  phase = 'checkpoint';
  timed(() => checkpoint.call(store));
  return steps;
}

export function startCompactor(store: CompactedStore, intervalMs: number, opts: CompactorOptions = {}): Compactor {
  const now = opts.now ?? Date.now;
  const state: CompactorState = {
    intervalMs, pendingRevision: 0, runs: { count: 0, lastPauseMs: 0, maxPauseMs: 0, lastSteps: 0, lastPhasesMs: { compact: 0, vacuum: 0, checkpoint: 0 } },
  };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    timer = undefined;
    const target = state.pendingRevision;
    state.pendingRevision = store.revision;
    if (target > 0) {
      try {
        recordRun(state.runs, await compactInSteps(store, target, () => stopped));
        state.last = { at: now(), revision: target };
      } catch {
        // A closed store: nothing to keep any more.
        return;
      }
    }
    if (!stopped) schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    state.nextAt = undefined;
    if (state.intervalMs <= 0) return;
    timer = setTimeout(() => void tick(), state.intervalMs);
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
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      state.nextAt = undefined;
    },
  };
}

function recordRun(runs: CompactionRuns, steps: readonly Step[]): void {
  const pause = Math.max(0, ...steps.map((s) => s.ms));
  runs.count++;
  runs.lastPauseMs = pause;
  runs.maxPauseMs = Math.max(runs.maxPauseMs, pause);
  runs.lastSteps = steps.length;
  runs.lastPhasesMs = { compact: 0, vacuum: 0, checkpoint: 0 };
  for (const s of steps) runs.lastPhasesMs[s.phase] = Math.max(runs.lastPhasesMs[s.phase], s.ms);
}
