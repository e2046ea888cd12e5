// The store's compaction interval (time travel's window), shared by the store, `flotilla serve` and the UI:
// kube-apiserver's --etcd-compaction-interval, 5 minutes by default; 0 never compacts.

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;

/** Why an interval cannot be used, or undefined. */
export function compactionIntervalProblem(ms: number): string | undefined {
  if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0) return 'the compaction interval must be a whole number of milliseconds, 0 or more';
  if (ms > 0 && ms < 1000) return 'the compaction interval must be at least 1s (or 0: never)';
  return undefined;
}
