// cleanupFinishedJobs of the cronjob controller: finished Jobs beyond successfulJobsHistoryLimit and
// failedJobsHistoryLimit are deleted, oldest (by start time) first.
import { isJobConditionTrue, jobFinishedCondition } from '../api/batch';
import type { CronJob, Job } from '../api/types';
import { R } from '../client/refs';
import type { ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { compareCodePoints } from '../api/string-order';

type Emit = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

/** byJobStartTime: Jobs without a start time last, then by start time, then by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa || !sb) return !sa && !sb ? compareCodePoints(a.metadata?.name ?? '', b.metadata?.name ?? '') : sa ? -1 : 1;
  return sa === sb ? compareCodePoints(a.metadata?.name ?? '', b.metadata?.name ?? '') : Date.parse(sa) - Date.parse(sb);
}

export async function cleanupFinishedJobs(ctx: ControllerContext, cj: CronJob, jobs: Job[], emit: Emit): Promise<void> {
  const successLimit = cj.spec?.successfulJobsHistoryLimit;
  const failedLimit = cj.spec?.failedJobsHistoryLimit;
  if ((successLimit === undefined || successLimit === null) && (failedLimit === undefined || failedLimit === null)) return;
  const finished = jobs.filter((j) => jobFinishedCondition(j) && !j.metadata?.deletionTimestamp);
  const groups: Array<[Job[], number | null | undefined]> = [
    [finished.filter((j) => isJobConditionTrue(j, 'Complete')), successLimit],
    [finished.filter((j) => isJobConditionTrue(j, 'Failed')), failedLimit],
  ];
  for (const [group, limit] of groups) {
    if (limit === undefined || limit === null || group.length <= limit) continue;
    for (const j of group.sort(byStartTime).slice(0, group.length - limit)) {
      await ignoreNotFound(ctx.client.delete(R.jobs, j.metadata!.name!, { namespace: j.metadata?.namespace, propagationPolicy: 'Background' }));
      emit('Normal', 'SuccessfulDelete', `Deleted job ${j.metadata!.name!}`);
    }
  }
}
