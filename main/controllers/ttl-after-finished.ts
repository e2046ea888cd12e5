// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
// spec.ttlSecondsAfterFinished is deleted (foreground, with a uid precondition) that many seconds after
// it finished — its completionTime, else the time its Complete/Failed condition became true.
import { jobFinishedCondition } from '../api/batch';
import type { Job } from '../api/types';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, splitKey } from '../client/refs';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';

/** When the Job's TTL runs out (ms), or undefined when it has none or has not finished. */
export function jobExpiry(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const finished = jobFinishedCondition(job);
  if (ttl === undefined || ttl === null || !finished || job.metadata?.deletionTimestamp) return undefined;
  const at = finished.type === 'Complete' && job.status?.completionTime ? job.status.completionTime : finished.lastTransitionTime;
  const t = at ? Date.parse(at) : NaN;
  return Number.isNaN(t) ? undefined : t + ttl * 1000;
}

export function newTTLAfterFinishedController(ctx: ControllerContext, opts: { now?: () => number } = {}): Controller {
  const now = opts.now ?? Date.now;
  const reconcile = async (key: string): Promise<ReconcileResult | undefined> => {
    const cached = ctx.informers.jobs.get(key);
    if (!cached || jobExpiry(cached) === undefined) return undefined;
    if (jobExpiry(cached)! > now()) return { requeueAfter: jobExpiry(cached)! - now() };
    // The TTL may have changed since the cache saw the Job: decide on the live object.
    const { namespace, name } = splitKey(key);
    const live = await ctx.client.get<Job>(R.jobs, name, namespace).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    const expiry = live && jobExpiry(live);
    if (!live || expiry === undefined) return undefined;
    if (expiry > now()) return { requeueAfter: expiry - now() };
    await ignoreNotFound(ctx.client.delete(R.jobs, name, { namespace, propagationPolicy: 'Foreground', preconditions: { uid: live.metadata?.uid } }));
    return undefined;
  };
  return newReconciler(ctx, 'ttl-after-finished').for<Job>('jobs', { add: (j) => jobExpiry(j) !== undefined, update: (_, j) => jobExpiry(j) !== undefined }).complete(reconcile);
}
