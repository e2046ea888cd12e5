// batch/v1 tables (printJob, printCronJob): Jobs NAME STATUS COMPLETIONS DURATION AGE, CronJobs NAME
// SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; each with the wide CONTAINERS IMAGES SELECTOR.
import type { CronJob, Job } from '../../api/types';
import { jobCompletions, jobPrintStatus } from '../../api/batch';
import { parseTimestamp } from '../../api/timestamp';
import { ageColumn, containerColumns, nameColumn } from './columns';
import { defineTable } from './define';
import { humanDuration, translateTimestampSince } from './duration';
import { formatLabelSelector } from './selector';

const SELECTOR_DESCRIPTION = 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';
const SUCCEEDED_DESCRIPTION = 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.';
const TIMEZONE_DESCRIPTION = 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones';

function jobDuration(j: Partial<Job>, now: Date): string {
  const start = parseTimestamp(j.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(j.status?.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

export const jobTable = defineTable<Job>({
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'Status of the job.', cell: (j) => jobPrintStatus(j) },
    { name: 'Completions', type: 'string', description: SUCCEEDED_DESCRIPTION, cell: (j) => jobCompletions(j) },
    { name: 'Duration', type: 'string', description: 'Time required to complete the job.', cell: (j, now) => jobDuration(j, now) },
    ageColumn,
    ...containerColumns<Job>((j) => j.spec?.template),
    { name: 'Selector', type: 'string', priority: 1, description: SELECTOR_DESCRIPTION, cell: (j) => formatLabelSelector(j.spec?.selector) },
  ],
});

export const cronJobTable = defineTable<CronJob>({
  columns: [
    nameColumn,
    { name: 'Schedule', type: 'string', description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', cell: (c) => c.spec?.schedule ?? '' },
    { name: 'Timezone', type: 'string', description: TIMEZONE_DESCRIPTION, cell: (c) => c.spec?.timeZone ?? '<none>' },
    {
      name: 'Suspend', type: 'boolean', description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
      // printBoolPtr: "True"/"False" as strings, "<unset>" when absent.
      cell: (c) => (c.spec?.suspend === undefined || c.spec.suspend === null ? '<unset>' : c.spec.suspend ? 'True' : 'False'),
    },
    { name: 'Active', type: 'integer', description: 'A list of pointers to currently running jobs.', cell: (c) => c.status?.active?.length ?? 0 },
    {
      name: 'Last Schedule', type: 'string', description: 'Information when was the last time the job was successfully scheduled.',
      cell: (c, now) => (c.status?.lastScheduleTime ? translateTimestampSince(c.status.lastScheduleTime, now) : '<none>'),
    },
    ageColumn,
    ...containerColumns<CronJob>((c) => c.spec?.jobTemplate?.spec?.template),
    { name: 'Selector', type: 'string', priority: 1, description: SELECTOR_DESCRIPTION, cell: (c) => formatLabelSelector(c.spec?.jobTemplate?.spec?.selector) },
  ],
});
