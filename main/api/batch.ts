// Facts about batch/v1 objects that the API server, the controllers and the UI share: the labels and
// annotations Jobs put on their pods, what a Job's conditions say, and its STATUS and COMPLETIONS as kubectl prints them.
import type { Job, JobCondition } from './types';

export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Annotation and label of an Indexed Job's pods. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** Failures of an index so far (backoffLimitPerIndex), and those a podFailurePolicy Ignore rule matched. */
export const JOB_INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const JOB_INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';
/** spec.managedBy of a Job the built-in job controller manages (also when unset). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';
/** The finalizer that keeps a Job's pods until the Job has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** The scheduled time of a CronJob's Job (RFC 3339, in the CronJob's time zone). */
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export function jobCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

export function isJobConditionTrue(job: Job, type: string): boolean {
  return jobCondition(job, type)?.status === 'True';
}

/** Complete or Failed (IsJobFinished); the condition that says so. */
export function jobFinishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** kubectl's STATUS of a Job (printJob): Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobPrintStatus(j: Partial<Job>): string {
  const job = j as Job;
  if (isJobConditionTrue(job, 'Complete')) return 'Complete';
  if (isJobConditionTrue(job, 'Failed')) return 'Failed';
  if (j.metadata?.deletionTimestamp) return 'Terminating';
  if (isJobConditionTrue(job, 'Suspended')) return 'Suspended';
  if (isJobConditionTrue(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** kubectl's COMPLETIONS of a Job (printJob): `succeeded/completions`, `succeeded/1 of parallelism` without completions. */
export function jobCompletions(j: Partial<Job>): string {
  const succeeded = j.status?.succeeded ?? 0;
  if (j.spec?.completions !== undefined && j.spec.completions !== null) return `${succeeded}/${j.spec.completions}`;
  const parallelism = j.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function isJobFinished(job: Job): boolean {
  return jobFinishedCondition(job) !== undefined;
}

/** The controller named by spec.managedBy when it is not the built-in one (managedByExternalController). */
export function jobManagedElsewhere(job: Job): string | undefined {
  const by = job.spec?.managedBy;
  return by && by !== JOB_CONTROLLER_NAME ? by : undefined;
}
