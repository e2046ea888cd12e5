// CronJob validation (pkg/apis/batch/validation: ValidateCronJobCreate / ValidateCronJobUpdate).
import type { KObject } from '../types';
import { cronScheduleError } from '../cron-schedule';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import { nonNegative } from './container';
import { GoRepr, goLabelSelector } from './gofmt';
import { validateJobSpec } from './job-spec';
import { checkType, isObj, obj, str } from './read';

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function validateTimeZone(tz: unknown): Cause[] {
  if (tz === undefined || tz === null) return [];
  const path = 'spec.timeZone';
  const s = str(tz);
  if (s.length === 0) return [invalid(path, s, 'timeZone must be nil or non-empty string')];
  for (const part of s.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TZ_PART.test(part)) return [invalid(path, s, `unknown time zone ${s}`)];
  }
  if (s.toLowerCase() === 'local') return [invalid(path, s, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(s) ? [] : [invalid(path, s, `unknown time zone ${s}`)];
}

/** The rule on TZ= / CRON_TZ= in the schedule: refused, unless an update keeps one that was there (and has no timeZone). */
function scheduleTimeZoneRule(spec: Record<string, unknown>, oldSchedule: string | undefined): Cause[] {
  const path = 'spec.schedule';
  const schedule = str(spec.schedule);
  const allowTZ = oldSchedule?.includes('TZ') ?? false;
  if (allowTZ && schedule.includes('TZ') && spec.timeZone !== undefined && spec.timeZone !== null) {
    return [invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule')];
  }
  if (!allowTZ && schedule.includes('TZ')) return [invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  return [];
}

/** validateCronJobSpec, but for the TZ rule, which needs the old object (scheduleTimeZoneRule). */
export function validateCronJob(cj: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(cj.spec);
  const schedule = str(spec.schedule);
  if (!schedule) causes.push(required('spec.schedule'));
  else {
    const err = cronScheduleError(schedule);
    if (err) causes.push(invalid('spec.schedule', schedule, err));
  }
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    if (checkType(causes, `spec.${f}`, spec[f], 'integer')) causes.push(...nonNegative(spec[f], `spec.${f}`));
  }
  causes.push(...validateTimeZone(spec.timeZone));
  const policy = str(spec.concurrencyPolicy);
  if (!policy) causes.push(required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) causes.push(notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  const jobSpec = obj(obj(spec.jobTemplate).spec);
  causes.push(...validateJobSpec(jobSpec, 'spec.jobTemplate.spec'));
  if (isObj(jobSpec.selector)) causes.push(invalid('spec.jobTemplate.spec.selector', goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) causes.push(notSupported('spec.jobTemplate.spec.manualSelector', new GoRepr('true'), ['nil', 'false']));
  return causes;
}

/** Create only: the TZ rule, and the name length (the controller names a Job <cronjob>-<11 digits>; Job names are at most 63 characters). */
export function validateCronJobCreate(cj: KObject): Cause[] {
  const causes = scheduleTimeZoneRule(obj(cj.spec), undefined);
  const name = cj.metadata?.name ?? '';
  if (name.length > 52) causes.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  return causes;
}

/** An update may keep a TZ that was already in the schedule; the 52-character rule is create-only. */
export function validateCronJobUpdate(next: KObject, prev: KObject): Cause[] {
  return scheduleTimeZoneRule(obj(next.spec), str(obj(prev.spec).schedule));
}
