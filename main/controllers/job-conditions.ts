// A Job's conditions as the job controller writes them: the interim SuccessCriteriaMet/FailureTarget
// that a finishing Job gets first, the terminal Complete/Failed once its pods are gone, Suspended, and
// the pod-failure back-off (10 s doubling, capped at 10 min: job_controller's DefaultJobPodFailureBackOff
// and MaxJobPodFailureBackOff).
import type { Job, JobCondition } from '../api/types';
import { shortTime } from './pod-util';

export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition {
  const t = shortTime(new Date(now));
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** The interim condition of a Job that met its completions. */
export function successCriteriaMet(now: number): JobCondition {
  return newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
}

/** The interim condition of a Job that failed (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy). */
export function failureTarget(reason: string, message: string, now: number): JobCondition {
  return newCondition('FailureTarget', 'True', reason, message, now);
}

/** The terminal condition that follows an interim one, with its reason and message. */
export function terminalFor(interim: JobCondition, now: number): JobCondition {
  return newCondition(interim.type === 'SuccessCriteriaMet' ? 'Complete' : 'Failed', 'True', interim.reason ?? '', interim.message ?? '', now);
}

/** The interim condition already in the Job's status, if any. */
export function interimCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'SuccessCriteriaMet' || c.type === 'FailureTarget') && c.status === 'True');
}

/**
 * ensureJobConditionStatus: sets the condition's status (adding it only when it is to be True);
 * returns the new list, or undefined when nothing changed.
 */
export function ensureCondition(conditions: JobCondition[], type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition[] | undefined {
  const i = conditions.findIndex((c) => c.type === type);
  if (i < 0) return status === 'True' ? [...conditions, newCondition(type, status, reason, message, now)] : undefined;
  const c = conditions[i];
  if (c.status === status && c.reason === reason && c.message === message) return undefined;
  const next = [...conditions];
  next[i] = c.status === status ? { ...c, reason, message, lastProbeTime: shortTime(new Date(now)) } : newCondition(type, status, reason, message, now);
  return next;
}

/** The pod-failure back-off after `failures` consecutive failures (0: none). */
export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  let d = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < failures && d < MAX_POD_FAILURE_BACKOFF_MS; i++) d *= 2;
  return Math.min(d, MAX_POD_FAILURE_BACKOFF_MS);
}
