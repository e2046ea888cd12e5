// Indexed Jobs' per-index rules (indexed_job_utils.go, success_policy.go): with backoffLimitPerIndex an
// index fails once its pods failed more than the limit or a FailIndex rule matched (status.failedIndexes;
// maxFailedIndexes ends the Job); the failed pod of an index waiting for its replacement keeps its
// finalizer until the replacement carries the index's failure count (getPodsWithDelayedDeletionPerIndex);
// each index backs off on its own; and successPolicy declares an Indexed Job succeeded early.
import { JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT } from '../api/batch';
import type { Job, Pod } from '../api/types';
import { backoffDelay } from './job-conditions';
import { completionIndex, isPodFailed, matchPodFailurePolicy, parseIndexes, podFinishTime } from './job-pods';

const MAX_INT32 = 2147483647;

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed' && job.spec.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

/** The indexes of a status field ("1,3-5"), those at or above completions dropped. */
export function indexesBelow(s: string | undefined, completions: number): Set<number> {
  return new Set([...parseIndexes(s)].filter((i) => i < completions));
}

/** The pod's valid completion index below completions, else undefined. */
function validIndex(job: Job, pod: Pod): number | undefined {
  const ix = completionIndex(pod);
  return ix !== undefined && ix < (job.spec?.completions ?? 0) ? ix : undefined;
}

function countAnnotation(pod: Pod, key: string): number {
  const v = pod.metadata?.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n > MAX_INT32 ? 0 : n;
}

/** The index's counted and ignored failures before this pod (its annotations). */
function failureCounts(pod: Pod): { failed: number; ignored: number } {
  return { failed: countAnnotation(pod, JOB_INDEX_FAILURE_COUNT), ignored: countAnnotation(pod, JOB_INDEX_IGNORED_FAILURE_COUNT) };
}

/** isIndexFailed: a FailIndex rule matched, or the pod's counted failure exhausts backoffLimitPerIndex. */
function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counted = true;
  if (job.spec?.podFailurePolicy && pod.status?.phase === 'Failed') {
    const verdict = matchPodFailurePolicy(job, pod);
    if (verdict.action === 'FailIndex') return true;
    counted = verdict.countFailed;
  }
  return counted && failureCounts(pod).failed >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes of uncounted pods (`tracked`: still holding the finalizer) that failed for good. */
export function failedIndexes(job: Job, tracked: Pod[]): Set<number> {
  const out = indexesBelow(job.status?.failedIndexes, job.spec?.completions ?? 0);
  for (const p of tracked) {
    const ix = validIndex(job, p);
    if (ix !== undefined && isIndexFailed(job, p)) out.add(ix);
  }
  return out;
}

/**
 * getPodsWithDelayedDeletionPerIndex: for each index neither succeeded, failed nor running, its latest
 * failed pod (most failures, then latest finish), whose finalizer stays until a replacement exists.
 */
export function delayedDeletion(job: Job, tracked: Pod[], active: Pod[], succeeded: Set<number>, failed: Set<number>, now: number): Map<number, Pod> {
  const activeIndexes = new Set(active.map(completionIndex));
  const out = new Map<number, Pod>();
  for (const p of tracked) {
    if (!isPodFailed(p, job)) continue;
    const ix = validIndex(job, p);
    if (ix === undefined || succeeded.has(ix) || failed.has(ix) || activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    const total = (q: Pod) => failureCounts(q).failed + failureCounts(q).ignored;
    if (!last || (total(last) <= total(p) && podFinishTime(p, now) >= podFinishTime(last, now))) out.set(ix, p);
  }
  return out;
}

/** The failure-count annotations of the pod replacing `replaced` (getNewIndexFailureCounts); "0" for an index's first pod. */
export function replacementAnnotations(job: Job, replaced: Pod | undefined): Record<string, string> {
  if (!replaced) return { [JOB_INDEX_FAILURE_COUNT]: '0' };
  let { failed, ignored } = failureCounts(replaced);
  const counted = job.spec?.podFailurePolicy && replaced.status?.phase === 'Failed' ? matchPodFailurePolicy(job, replaced).countFailed : true;
  if (counted) failed++;
  else ignored++;
  const out: Record<string, string> = { [JOB_INDEX_FAILURE_COUNT]: String(failed) };
  if (ignored > 0) out[JOB_INDEX_IGNORED_FAILURE_COUNT] = String(ignored);
  return out;
}

/** getRemainingTimePerIndex: how long the index still backs off after its last failed pod (0: not at all). */
export function indexBackoffRemaining(lastFailed: Pod | undefined, now: number): number {
  if (!lastFailed) return 0;
  const { failed, ignored } = failureCounts(lastFailed);
  const wait = podFinishTime(lastFailed, now) + backoffDelay(failed + ignored + 1) - now;
  return Math.max(0, wait);
}

/** How many of the rule's indexes succeeded (matchSucceededIndexesRule's overlap count). */
function overlap(rule: Set<number>, succeeded: Set<number>): number {
  let n = 0;
  for (const i of rule) if (succeeded.has(i)) n++;
  return n;
}

/** matchSuccessPolicy: "Matched rules at index N" for the first rule the succeeded indexes satisfy. */
export function matchSuccessPolicy(job: Job, succeeded: Set<number>): string | undefined {
  const rules = job.spec?.successPolicy?.rules ?? [];
  if (!rules.length || !succeeded.size) return undefined;
  const completions = job.spec?.completions ?? 0;
  for (const [index, rule] of rules.entries()) {
    const count = rule.succeededCount;
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const wanted = indexesBelow(rule.succeededIndexes, completions);
      if (!wanted.size) continue;
      const got = overlap(wanted, succeeded);
      if (got === wanted.size || (count !== undefined && count !== null && got >= count)) return `Matched rules at index ${index}`;
    } else if (count !== undefined && count !== null && succeeded.size >= count) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
