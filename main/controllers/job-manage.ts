// manageJob: how many pods a Job should have running now, and which to create or delete to get
// there (the lowest pending indexes of an Indexed Job; not-ready and newest pods go first).
import type { Job, Pod } from '../api/types';
import { completionIndex } from './job-pods';

export interface ManagePlan {
  /** Pods to create: one entry per pod, the completion index for Indexed Jobs. */
  create: Array<number | undefined>;
  delete: Pod[];
}

/** The active pods the Job wants given its successes (completions − succeeded, at most parallelism). */
export function wantActive(job: Job, active: number, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) {
    // A Job without completions is done once any pod succeeds: then it only lets the running ones finish.
    return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
  }
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** What else holds back pods: terminating ones (counted only when podReplacementPolicy is Failed) and failed indexes. */
export interface PlanLimits {
  terminating?: Pod[];
  failedIndexes?: Set<number>;
}

/** firstPendingIndexes: indexes neither succeeded, failed, nor held by an active (or, with `limits.terminating`, terminating) pod, lowest first. */
function pendingIndexes(job: Job, active: Pod[], succeeded: Set<number>, limits: PlanLimits): number[] {
  const held = new Set([...active, ...(limits.terminating ?? [])].map(completionIndex));
  const out: number[] = [];
  for (let i = 0; i < (job.spec?.completions ?? 0); i++) if (!succeeded.has(i) && !held.has(i) && !limits.failedIndexes?.has(i)) out.push(i);
  return out;
}

/**
 * The plan for a Job that is neither suspended nor finishing. Indexed Jobs also lose active pods
 * whose index is out of range, already succeeded, or held twice. Pods still terminating are waited
 * for when the caller passes them (podReplacementPolicy Failed).
 */
export function planPods(
  job: Job, active: Pod[], succeeded: number, succeededIndexes: Set<number>, rank: (a: Pod, b: Pod) => number, limits: PlanLimits = {},
): ManagePlan {
  const indexed = job.spec?.completionMode === 'Indexed';
  const extra: Pod[] = [];
  let keep = active;
  if (indexed) {
    const seen = new Set<number>();
    keep = [];
    for (const p of [...active].sort(rank).reverse()) {
      const ix = completionIndex(p);
      if (ix === undefined || ix >= (job.spec?.completions ?? 0) || succeededIndexes.has(ix) || seen.has(ix)) extra.push(p);
      else {
        seen.add(ix);
        keep.push(p);
      }
    }
  }
  const want = wantActive(job, keep.length, indexed ? succeededIndexes.size : succeeded);
  if (keep.length > want) return { create: [], delete: [...extra, ...[...keep].sort(rank).slice(0, keep.length - want)] };
  const n = Math.max(0, want - (limits.terminating?.length ?? 0) - keep.length);
  if (!indexed) return { create: Array.from({ length: n }, () => undefined), delete: extra };
  return { create: pendingIndexes(job, keep, succeededIndexes, limits).slice(0, n), delete: extra };
}
