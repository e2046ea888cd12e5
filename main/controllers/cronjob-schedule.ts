// When a CronJob runs (the cronjob controller's utils.go): the schedule's next time after a moment,
// in the CronJob's time zone (cron-parser; `@every` as a constant interval), the most recent unmet scheduled time with the count of
// missed ones, the name of the Job of a scheduled time, and the times as Kubernetes prints them.
import { CronExpressionParser } from 'cron-parser';
import { everyInterval, standardCronFields } from '../api/cron-schedule';

export interface Schedule {
  /** The first scheduled time strictly after `t` (ms). */
  next(t: number): number;
}

export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  // robfig's ConstantDelaySchedule: the interval after `t` rounded down to the second.
  const every = everyInterval(schedule.trim());
  if (every !== undefined) return { next: (t) => t - (t % 1000) + every };
  const fields = standardCronFields(schedule);
  CronExpressionParser.parse(fields, { tz: timeZone }); // throws when unparseable
  return { next: (t) => CronExpressionParser.parse(fields, { currentDate: new Date(t), tz: timeZone }).next().getTime() };
}

export type Missed = 'none' | 'few' | 'many';

export interface MostRecent {
  earliest: number;
  /** The most recent scheduled time not after now, if any is unmet. */
  time?: number;
  missed: Missed;
}

/**
 * mostRecentScheduleTime: from the last schedule (or creation), or the starting deadline if later,
 * the latest scheduled time up to `now`; more than 100 missed times is "many".
 */
export function mostRecentScheduleTime(
  sched: Schedule, created: number, lastSchedule: number | undefined, now: number, startingDeadlineSeconds?: number,
): MostRecent {
  let earliest = lastSchedule ?? created;
  if (startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - startingDeadlineSeconds * 1000);
  const t1 = sched.next(earliest);
  const t2 = sched.next(t1);
  if (now < t1) return { earliest, missed: 'none' };
  if (now < t2) return { earliest, time: t1, missed: 'few' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const missedCount = Math.floor((now - t1) / 1000 / between) + 1;
  let recent: number | undefined;
  for (let t = sched.next(t1 + (missedCount - 2) * between * 1000); t <= now; t = sched.next(t)) recent = t;
  return { earliest, time: recent, missed: missedCount > 100 ? 'many' : 'few' };
}

/** getJobName: <cronjob>-<scheduled time in minutes since the epoch>. */
export function jobNameFor(cronJob: string, scheduled: number): string {
  return `${cronJob}-${Math.floor(scheduled / 60_000)}`;
}

/** Go's time.RFC1123Z of a UTC time: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function rfc1123z(t: number): string {
  return new Date(t).toUTCString().replace('GMT', '+0000');
}

/** RFC 3339 of `t` in the time zone (Z for UTC), as the scheduled-timestamp annotation carries it. */
export function rfc3339In(t: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  const local = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const offsetMin = Math.round((local - Math.floor(t / 1000) * 1000) / 60_000);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${zone}`;
}
