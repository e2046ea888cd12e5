// The CronJob controller (pkg/controller/cronjob, v2): at each scheduled time it creates a Job
// <cronjob>-<minutes since the epoch> from the job template (concurrencyPolicy Allow/Forbid/Replace,
// startingDeadlineSeconds, suspend, timeZone), keeps status.active, lastScheduleTime and
// lastSuccessfulTime, deletes finished Jobs beyond the history limits, and comes back at the next
// scheduled time. After downtime it starts only the most recent missed run (more than 100 missed:
// a TooManyMissedTimes warning first).
import { CRONJOB_SCHEDULED_TIMESTAMP, isJobConditionTrue, jobFinishedCondition } from '../api/batch';
import type { CronJob, CronJobStatus, Job, KObject, ObjectReference } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R } from '../client/refs';
import { isAlreadyExists, isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { cleanupFinishedJobs } from './cronjob-history';
import { jobNameFor, mostRecentScheduleTime, parseSchedule, rfc1123z, rfc3339In } from './cronjob-schedule';
import type { Schedule } from './cronjob-schedule';
import { ignoreNotFound } from './ignore-not-found';
import { ownerRefFor, shortTime } from './pod-util';

/** The controller comes back this long after the next scheduled time (nextScheduleDelta). */
const NEXT_SCHEDULE_DELTA_MS = 100;

export function newCronJobController(ctx: ControllerContext, opts: { now?: () => number } = {}): Controller {
  const now = opts.now ?? Date.now;
  return newReconciler(ctx, 'cronjob').for('cronjobs').owns('jobs').complete((key) => new CronJobPass(ctx, key, now()).run());
}

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

class CronJobPass {
  private readonly recorder;
  private status: CronJobStatus = {};
  private active: ObjectReference[] = [];

  constructor(private readonly ctx: ControllerContext, private readonly key: string, private readonly now: number) {
    this.recorder = ctx.recorder('cronjob-controller');
  }

  private event(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(cj, type, reason, message);
  }

  async run(): Promise<ReconcileResult | undefined> {
    const cj = this.ctx.informers.cronjobs.get(this.key);
    if (!cj) return undefined;
    this.status = structuredClone(cj.status ?? {});
    this.active = [...(this.status.active ?? [])];
    const jobs = this.ctx.informers.jobs.byIndex(BY_CONTROLLER, cj.metadata?.uid ?? '');
    await this.reconcileActive(cj, jobs);
    const requeue = await this.schedule(cj);
    const notActive = jobs.filter((j) => !this.active.some((a) => a.uid === j.metadata?.uid));
    await cleanupFinishedJobs(this.ctx, cj, notActive, (type, reason, message) => this.event(cj, type, reason, message));
    await this.writeStatus(cj);
    return requeue === undefined ? undefined : { requeueAfter: Math.max(0, requeue) };
  }

  /** The active list against the Jobs that exist: finished ones leave it, missing ones too; successes move lastSuccessfulTime. */
  private async reconcileActive(cj: CronJob, jobs: Job[]): Promise<void> {
    for (const j of jobs) {
      const found = this.active.some((a) => a.uid === j.metadata?.uid);
      const finished = jobFinishedCondition(j);
      if (!found && !finished) {
        this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name ?? ''}`);
      } else if (found && finished) {
        this.active = this.active.filter((a) => a.uid !== j.metadata?.uid);
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name ?? ''}, condition: ${finished.type}`);
      } else if (isJobConditionTrue(j, 'Complete') && j.status?.completionTime) {
        const last = this.status.lastSuccessfulTime;
        if (!last || Date.parse(j.status.completionTime) > Date.parse(last)) this.status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const ref of [...this.active]) {
      if (jobs.some((j) => j.metadata?.uid === ref.uid)) continue;
      // The cache may not have seen a Job created a moment ago: ask the API server.
      const live = await this.ctx.client.get<Job>(R.jobs, ref.name ?? '', ref.namespace).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (live) continue;
      this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      this.active = this.active.filter((a) => a.uid !== ref.uid);
    }
  }

  /** Starts the Job of the most recent unmet scheduled time, if it is due; returns when to look again (ms). */
  private async schedule(cj: CronJob): Promise<number | undefined> {
    if (cj.metadata?.deletionTimestamp) return undefined;
    const spec = cj.spec!;
    const tz = spec.timeZone ?? undefined;
    if (isSet(spec.timeZone)) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: spec.timeZone });
      } catch {
        this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": unknown time zone ${spec.timeZone}`);
        return undefined;
      }
    }
    if (spec.suspend) return undefined;
    let sched: Schedule;
    try {
      sched = parseSchedule(spec.schedule, tz);
    } catch (e) {
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const created = Date.parse(cj.metadata?.creationTimestamp ?? '') || this.now;
    const last = this.status.lastScheduleTime ? Date.parse(this.status.lastScheduleTime) : undefined;
    const untilNext = () => {
      const recent = mostRecentScheduleTime(sched, created, last, this.now).time ?? (last ?? created);
      return sched.next(recent) + NEXT_SCHEDULE_DELTA_MS - this.now;
    };
    let due;
    try {
      due = mostRecentScheduleTime(sched, created, last, this.now, spec.startingDeadlineSeconds ?? undefined);
    } catch (e) {
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (due.time === undefined) return untilNext();
    if (due.missed === 'many') {
      this.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    const scheduled = due.time;
    if (isSet(spec.startingDeadlineSeconds) && scheduled + spec.startingDeadlineSeconds * 1000 < this.now) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return untilNext();
    }
    const name = jobNameFor(cj.metadata!.name!, scheduled);
    if (this.active.some((a) => a.name === name) || (last !== undefined && last === scheduled)) return untilNext();
    if (spec.concurrencyPolicy === 'Forbid' && this.active.length) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return untilNext();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...this.active]) {
        await ignoreNotFound(this.ctx.client.delete(R.jobs, ref.name ?? '', { namespace: ref.namespace, propagationPolicy: 'Background' }));
        this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name ?? ''}`);
        this.active = this.active.filter((a) => a.uid !== ref.uid);
      }
    }
    const job = await this.createJob(cj, name, scheduled, tz);
    const m = job.metadata ?? {};
    this.active.push({ apiVersion: 'batch/v1', kind: 'Job', name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion });
    this.status.lastScheduleTime = shortTime(new Date(scheduled));
    return sched.next(scheduled) + NEXT_SCHEDULE_DELTA_MS - this.now;
  }

  private async createJob(cj: CronJob, name: string, scheduled: number, tz: string | undefined): Promise<Job> {
    const tpl = cj.spec!.jobTemplate;
    const job: Job = {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name, namespace: cj.metadata?.namespace,
        labels: { ...(tpl.metadata?.labels ?? {}) },
        annotations: { ...(tpl.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP]: rfc3339In(scheduled, tz) },
        ownerReferences: [ownerRefFor({ ...(cj as KObject), apiVersion: 'batch/v1', kind: 'CronJob' })],
      },
      spec: structuredClone(tpl.spec ?? { template: {} }),
    };
    try {
      const created = await this.ctx.client.create<Job>(R.jobs, job, { namespace: cj.metadata?.namespace });
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
      return created;
    } catch (e) {
      if (isAlreadyExists(e)) return this.ctx.client.get<Job>(R.jobs, name, cj.metadata?.namespace);
      this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  private async writeStatus(cj: CronJob): Promise<void> {
    const next: CronJobStatus = { ...this.status, active: this.active.length ? this.active : undefined };
    const cur = cj.status ?? {};
    const fields = (s: CronJobStatus) => JSON.stringify([s.active ?? [], s.lastScheduleTime, s.lastSuccessfulTime]);
    if (fields(cur) === fields(next)) return;
    const body = { active: next.active ?? null, lastScheduleTime: next.lastScheduleTime ?? null, lastSuccessfulTime: next.lastSuccessfulTime ?? null };
    const opts = { namespace: cj.metadata?.namespace, subresource: 'status' as const };
    await ignoreNotFound(this.ctx.client.patch(R.cronjobs, cj.metadata!.name!, { status: body }, 'merge', opts));
  }
}
