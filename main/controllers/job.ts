// The job controller (pkg/controller/job): runs a Job's pods to spec.completions successes at most
// spec.parallelism at a time, re-creating failed pods after a back-off (10 s doubling, at most
// 10 min) until spec.backoffLimit, honouring activeDeadlineSeconds, suspend, Indexed completion and
// the podFailurePolicy; it counts pods through the tracking finalizer (job-tracking.ts) and finishes
// in two steps as Kubernetes ≥ 1.31 does: the interim SuccessCriteriaMet/FailureTarget condition, then
// Complete/Failed once no pod is left running. Indexed Jobs' per-index rules (backoffLimitPerIndex,
// successPolicy) are in job-indexes.ts; a Job whose spec.managedBy names another controller is left alone.
import { isJobFinished, jobManagedElsewhere } from '../api/batch';
import type { Job, JobCondition, JobStatus, KObject, Pod } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { Expectations, podObserver } from './expectations';
import { together, withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';
import { backoffDelay, ensureCondition, failureTarget, interimCondition, newCondition, successCriteriaMet, terminalFor } from './job-conditions';
import {
  delayedDeletion, failedIndexes, hasBackoffLimitPerIndex, indexBackoffRemaining, matchSuccessPolicy, replacementAnnotations,
} from './job-indexes';
import { planPods } from './job-manage';
import { sameStatus, statusPatch } from './job-status';
import {
  type PolicyVerdict, completionIndex, formatIndexes, hasTrackingFinalizer, isPodFailed, isTerminating, matchPodFailurePolicy, onlyReplaceFailedPods,
  parseIndexes, podFinishTime, podFromTemplate, restartCount,
} from './job-pods';
import { FinalizerExpectations, newJobOrphanReleaser, releasePod } from './job-tracking';
import { PodControl } from './pod-control';
import { compareForDeletion } from './pod-ranking';
import { controllerRef, isPodActive, isPodReady, shortTime } from './pod-util';

const MAX_PODS_PER_SYNC = 500;

export interface JobControllerOptions {
  /** The clock (ms since the epoch); tests pass a controllable one. */
  now?: () => number;
}

export function newJobController(ctx: ControllerContext, opts: JobControllerOptions = {}): Controller {
  const sync = new JobSync(ctx, opts.now ?? Date.now);
  const builder = newReconciler(ctx, 'job', { workers: 2 });
  const jobs = builder.for('jobs').owns<Pod>('pods').complete((key) => sync.sync(key));
  const main = withExtras(jobs, { register: () => ctx.informers.pods.addHandler(sync.podEvents()) });
  return together('job', main, newJobOrphanReleaser(ctx));
}

interface Uncounted { succeeded: Set<string>; failed: Set<string> }

interface BackoffRecord { failures: number; lastFailure: number }

class JobSync {
  private readonly exp = new Expectations();
  private readonly released = new FinalizerExpectations();
  private readonly backoffs = new Map<string, BackoffRecord>();
  /** The Job as this controller last wrote it: newer than the informer's until the watch catches up. */
  private readonly written = new Map<string, Job>();
  private readonly pods: PodControl;

  constructor(private readonly ctx: ControllerContext, private readonly now: () => number) {
    this.pods = new PodControl(ctx.client, ctx.recorder('job-controller'));
  }

  private get recorder() { return this.ctx.recorder('job-controller'); }

  podEvents() {
    return podObserver(this.exp, (p) => {
      const ref = controllerRef(p);
      if (ref?.kind !== 'Job') return undefined;
      const job = this.ctx.informers.jobs.getByName(p.metadata?.namespace, ref.name);
      return job?.metadata?.uid === ref.uid ? keyOf(job) : undefined;
    });
  }

  /** The freshest copy of the Job: the informer's, or the one this controller wrote if that is newer. */
  private current(key: string): Job | undefined {
    const cached = this.ctx.informers.jobs.get(key);
    const mine = this.written.get(key);
    if (!cached || !mine || mine.metadata?.uid !== cached.metadata?.uid) return cached;
    return Number(mine.metadata?.resourceVersion) > Number(cached.metadata?.resourceVersion) ? mine : cached;
  }

  async sync(key: string): Promise<ReconcileResult | undefined> {
    const job = this.current(key);
    if (!job) {
      for (const m of [this.backoffs, this.written]) m.delete(key);
      this.exp.delete(key);
      this.released.delete(key);
      return undefined;
    }
    if (isJobFinished(job) || job.metadata?.deletionTimestamp || jobManagedElsewhere(job)) return undefined;
    return new JobPass(this.ctx, job, key, this.now(), {
      pods: this.pods, exp: this.exp, released: this.released, backoffs: this.backoffs, recorder: this.recorder,
      written: (j) => this.written.set(key, j),
    }).run();
  }
}

interface PassDeps {
  pods: PodControl;
  exp: Expectations;
  released: FinalizerExpectations;
  backoffs: Map<string, BackoffRecord>;
  recorder: ReturnType<ControllerContext['recorder']>;
  written: (j: Job) => void;
}

/** One sync of one Job. */
class JobPass {
  private readonly status: JobStatus;
  private conditions: JobCondition[];
  private readonly all: Pod[];
  private requeue: number | undefined;
  /** The status as stored (the Job from the cache is never modified). */
  private stored: JobStatus;
  /** With backoffLimitPerIndex: the failed indexes, and per index waiting for a replacement its last failed pod. */
  private failedIx?: Set<number>;
  private delayed = new Map<number, Pod>();

  constructor(
    private readonly ctx: ControllerContext, private readonly job: Job, private readonly key: string,
    private readonly now: number, private readonly d: PassDeps,
  ) {
    this.status = structuredClone(job.status ?? {});
    this.conditions = [...(this.status.conditions ?? [])];
    this.all = ctx.informers.pods.byIndex(BY_CONTROLLER, job.metadata?.uid ?? '');
    this.stored = job.status ?? {};
  }

  private get indexed(): boolean { return this.job.spec?.completionMode === 'Indexed'; }
  private get suspended(): boolean { return this.job.spec?.suspend === true; }

  private later(ms: number): void {
    this.requeue = this.requeue === undefined ? ms : Math.min(this.requeue, ms);
  }

  async run(): Promise<ReconcileResult | undefined> {
    if (!this.status.startTime && !this.suspended) this.status.startTime = shortTime(new Date(this.now));
    const pendingRelease = this.d.released.pending(this.key, this.all);
    const u = this.status.uncountedTerminatedPods;
    const uncounted: Uncounted = { succeeded: new Set(u?.succeeded ?? []), failed: new Set(u?.failed ?? []) };
    const succeededIndexes = parseIndexes(this.status.completedIndexes);
    const fresh = this.all.filter((p) => hasTrackingFinalizer(p) && !pendingRelease.has(p.metadata?.uid ?? '')
      && !uncounted.succeeded.has(p.metadata?.uid ?? '') && !uncounted.failed.has(p.metadata?.uid ?? ''));
    const ignored: Pod[] = [];
    let failJobMessage: string | undefined;
    for (const p of fresh) {
      const uid = p.metadata?.uid ?? '';
      if (p.status?.phase === 'Succeeded') {
        const ix = completionIndex(p);
        if (!this.indexed || (ix !== undefined && ix < (this.job.spec?.completions ?? 0))) uncounted.succeeded.add(uid);
        else ignored.push(p);
      } else if (isPodFailed(p, this.job)) {
        const verdict: PolicyVerdict = p.status?.phase === 'Failed' ? matchPodFailurePolicy(this.job, p) : { countFailed: true };
        failJobMessage ??= verdict.failJobMessage;
        if (verdict.countFailed) uncounted.failed.add(uid);
        else ignored.push(p);
      }
    }
    this.recordFinished(fresh, uncounted);
    const active = this.all.filter(isPodActive);
    const tracked = this.all.filter((p) => hasTrackingFinalizer(p) && !pendingRelease.has(p.metadata?.uid ?? ''));
    if (hasBackoffLimitPerIndex(this.job)) {
      this.failedIx = failedIndexes(this.job, tracked);
      this.status.failedIndexes = formatIndexes(this.failedIx);
    }
    let interim = interimCondition(this.job);
    if (!interim) interim = this.finishing(active, uncounted, succeededIndexes, failJobMessage);
    if (interim) this.releaseAll(fresh, uncounted, ignored, interim);
    if (this.failedIx && !interim) {
      this.delayed = delayedDeletion(this.job, tracked, active, this.indexesWith(succeededIndexes, uncounted.succeeded), this.failedIx, this.now);
      for (const p of this.delayed.values()) {
        if (!fresh.includes(p)) continue;
        uncounted.failed.delete(p.metadata?.uid ?? '');
        if (ignored.includes(p)) ignored.splice(ignored.indexOf(p), 1);
      }
    }
    if (interim && !this.conditions.some((c) => c.type === interim.type)) this.conditions.push(interim);
    let activeAfter = active;
    if (interim) {
      await Promise.all(active.map((p) => this.d.pods.delete(this.job as KObject, p, this.d.exp, this.key)));
      activeAfter = [];
    } else if (this.suspended) {
      activeAfter = await this.suspend(active);
    } else {
      this.resume();
      if (this.d.exp.satisfied(this.key)) activeAfter = await this.manage(active, uncounted, succeededIndexes);
    }
    await this.track(uncounted, ignored, succeededIndexes);
    // Pods deleted in this pass are terminating although the snapshot does not show it yet.
    this.status.terminating = this.all.filter(isTerminating).length + active.length - activeAfter.length;
    this.finish(interim, activeAfter);
    this.status.active = activeAfter.length;
    this.status.ready = activeAfter.filter(isPodReady).length;
    await this.writeStatus();
    return this.requeue === undefined ? undefined : { requeueAfter: this.requeue };
  }

  /** A finishing Job lets go of every pod: those not yet terminated count as failed if it fails (trackJobStatusAndRemoveFinalizers). */
  private releaseAll(fresh: Pod[], uncounted: Uncounted, ignored: Pod[], interim: JobCondition): void {
    for (const p of fresh) {
      const uid = p.metadata?.uid ?? '';
      if (uncounted.succeeded.has(uid) || uncounted.failed.has(uid) || ignored.includes(p)) continue;
      const ix = completionIndex(p);
      const valid = !this.indexed || (ix !== undefined && ix < (this.job.spec?.completions ?? 0));
      if (interim.type === 'FailureTarget' && valid && p.status?.phase !== 'Succeeded') uncounted.failed.add(uid);
      else ignored.push(p);
    }
  }

  /** The back-off record (newBackoffRecord): consecutive failures since the last success, and when the latest failed. */
  private recordFinished(fresh: Pod[], uncounted: Uncounted): void {
    const record = this.d.backoffs.get(this.key) ?? { failures: 0, lastFailure: 0 };
    for (const p of fresh) {
      const uid = p.metadata?.uid ?? '';
      if (uncounted.succeeded.has(uid)) record.failures = 0;
    }
    for (const p of fresh) {
      if (!uncounted.failed.has(p.metadata?.uid ?? '')) continue;
      record.failures++;
      record.lastFailure = Math.max(record.lastFailure, podFinishTime(p, this.now));
    }
    this.d.backoffs.set(this.key, record);
  }

  /** The interim condition the Job reaches in this sync, if any. */
  private finishing(active: Pod[], uncounted: Uncounted, succeededIndexes: Set<number>, failJobMessage?: string): JobCondition | undefined {
    const spec = this.job.spec ?? { template: {} };
    if (failJobMessage) return failureTarget('PodFailurePolicy', failJobMessage, this.now);
    const failed = (this.status.failed ?? 0) + uncounted.failed.size;
    const onFailureRestarts = spec.template.spec?.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + restartCount(p), 0) : 0;
    const limit = spec.backoffLimit ?? 6;
    const pastOnFailure = spec.template.spec?.restartPolicy === 'OnFailure' && (limit === 0 ? onFailureRestarts > 0 : onFailureRestarts >= limit);
    if (failed > limit || pastOnFailure) return failureTarget('BackoffLimitExceeded', 'Job has reached the specified backoff limit', this.now);
    const deadline = spec.activeDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && this.status.startTime && !this.suspended) {
      const left = Date.parse(this.status.startTime) + deadline * 1000 - this.now;
      if (left <= 0) return failureTarget('DeadlineExceeded', 'Job was active longer than specified deadline', this.now);
      this.later(left);
    }
    const succeededIx = this.indexesWith(succeededIndexes, uncounted.succeeded);
    if (this.failedIx) {
      const max = spec.maxFailedIndexes;
      if (max !== undefined && max !== null && this.failedIx.size > max) {
        return failureTarget('MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes', this.now);
      }
      if (this.failedIx.size > 0 && this.failedIx.size + succeededIx.size >= (spec.completions ?? 0)) return failureTarget('FailedIndexes', 'Job has failed indexes', this.now);
    }
    const policyMatch = this.indexed ? matchSuccessPolicy(this.job, succeededIx) : undefined;
    if (policyMatch) return newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', policyMatch, this.now);
    const succeeded = this.indexed ? succeededIx.size : (this.status.succeeded ?? 0) + uncounted.succeeded.size;
    const completions = spec.completions;
    const done = completions === undefined || completions === null ? succeeded > 0 && active.length === 0 : succeeded >= completions && active.length === 0;
    return done ? successCriteriaMet(this.now) : undefined;
  }

  /** The completed indexes once the given succeeded pods are counted. */
  private indexesWith(indexes: Set<number>, uids: Set<string>): Set<number> {
    const out = new Set(indexes);
    for (const p of this.all) {
      const ix = completionIndex(p);
      if (uids.has(p.metadata?.uid ?? '') && ix !== undefined) out.add(ix);
    }
    return out;
  }

  private async suspend(active: Pod[]): Promise<Pod[]> {
    await Promise.all(active.map((p) => this.d.pods.delete(this.job as KObject, p, this.d.exp, this.key)));
    const next = ensureCondition(this.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', this.now);
    if (next) {
      this.conditions = next;
      this.status.startTime = undefined;
      this.d.recorder.event(this.job, 'Normal', 'Suspended', 'Job suspended');
    }
    return [];
  }

  private resume(): void {
    const next = ensureCondition(this.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', this.now);
    if (!next) return;
    this.conditions = next;
    this.status.startTime = shortTime(new Date(this.now));
    this.d.recorder.event(this.job, 'Normal', 'Resumed', 'Job resumed');
  }

  /** Creates or deletes pods towards the wanted number of active ones; returns the active pods that stay. */
  private async manage(active: Pod[], uncounted: { succeeded: Set<string> }, succeededIndexes: Set<number>): Promise<Pod[]> {
    const succeeded = (this.status.succeeded ?? 0) + uncounted.succeeded.size;
    const terminating = onlyReplaceFailedPods(this.job) ? this.all.filter(isTerminating) : undefined;
    const limits = { terminating, failedIndexes: this.failedIx };
    const plan = planPods(this.job, active, succeeded, this.indexesWith(succeededIndexes, uncounted.succeeded), compareForDeletion, limits);
    if (plan.delete.length) {
      this.d.exp.expect(this.key, 0, plan.delete.length);
      await Promise.all(plan.delete.map((p) => this.d.pods.delete(this.job as KObject, p, this.d.exp, this.key)));
      return active.filter((p) => !plan.delete.includes(p));
    }
    if (!plan.create.length) return active;
    const record = this.d.backoffs.get(this.key);
    const wait = record && !this.failedIx ? record.lastFailure + backoffDelay(record.failures) - this.now : 0;
    if (wait > 0) {
      this.later(wait);
      return active;
    }
    const create = this.failedIx ? this.indexesOutOfBackoff(plan.create) : plan.create;
    if (create.length) await this.createPods(create.slice(0, MAX_PODS_PER_SYNC));
    return active;
  }

  /** getPodCreationInfoForIndependentIndexes: the indexes whose own back-off is over; else come back when the first one's is. */
  private indexesOutOfBackoff(indexes: Array<number | undefined>): Array<number | undefined> {
    const waits = indexes.map((ix) => indexBackoffRemaining(ix === undefined ? undefined : this.delayed.get(ix), this.now));
    const ready = indexes.filter((_, i) => waits[i] === 0);
    if (!ready.length && waits.length) this.later(Math.min(...waits));
    return ready;
  }

  /** Slow start (batches of 1, 2, 4, …) so that a failing create does not flood the API. */
  private async createPods(indexes: Array<number | undefined>): Promise<void> {
    this.d.exp.expect(this.key, indexes.length, 0);
    let done = 0;
    const counts = (ix: number | undefined) => (this.failedIx && ix !== undefined ? replacementAnnotations(this.job, this.delayed.get(ix)) : {});
    const pod = (ix: number | undefined) => podFromTemplate(this.job, ix, counts(ix));
    for (let batch = 1; done < indexes.length; batch *= 2) {
      const slice = indexes.slice(done, done + batch);
      const results = await Promise.allSettled(slice.map((ix) => this.d.pods.create(this.job as KObject, pod(ix))));
      done += slice.length;
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (!failed.length) continue;
      for (let i = 0; i < failed.length + (indexes.length - done); i++) this.d.exp.observedAdd(this.key);
      throw failed[0].reason;
    }
  }

  /**
   * Counts finished pods: their uids go to uncountedTerminatedPods (written first), their finalizers
   * come off, then they move into succeeded/failed (and completedIndexes).
   */
  private async track(uncounted: Uncounted, ignored: Pod[], succeededIndexes: Set<number>): Promise<void> {
    const before = this.status.uncountedTerminatedPods;
    const changed = uncounted.succeeded.size !== (before?.succeeded?.length ?? 0) || uncounted.failed.size !== (before?.failed?.length ?? 0);
    if (changed) {
      this.status.uncountedTerminatedPods = { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] };
      await this.writeStatus();
    }
    const byUid = new Map(this.all.map((p) => [p.metadata?.uid ?? '', p]));
    const counted = [...uncounted.succeeded, ...uncounted.failed].map((u) => byUid.get(u)).filter((p): p is Pod => !!p && hasTrackingFinalizer(p));
    const release = [...ignored, ...counted];
    await Promise.all(release.map(async (p) => {
      await releasePod(this.ctx, p);
      this.d.released.released(this.key, p.metadata?.uid ?? '');
    }));
    if (!uncounted.succeeded.size && !uncounted.failed.size) return;
    const record = this.d.backoffs.get(this.key);
    if (this.indexed) {
      const indexes = this.indexesWith(succeededIndexes, uncounted.succeeded);
      this.status.completedIndexes = formatIndexes(indexes);
      this.status.succeeded = indexes.size;
    } else {
      this.status.succeeded = (this.status.succeeded ?? 0) + uncounted.succeeded.size;
    }
    this.status.failed = (this.status.failed ?? 0) + uncounted.failed.size;
    this.status.uncountedTerminatedPods = {};
    if (record && record.failures > 0 && !this.suspended) this.later(Math.max(0, record.lastFailure + backoffDelay(record.failures) - this.now));
  }

  /** Complete or Failed once the interim condition holds and no pod is left running or uncounted. */
  private finish(interim: JobCondition | undefined, active: Pod[]): void {
    if (!interim || active.length) return;
    const left = this.all.some((p) => hasTrackingFinalizer(p) && !this.d.released.pending(this.key, this.all).has(p.metadata?.uid ?? ''))
      || (this.status.terminating ?? 0) > 0;
    if (left) return;
    const terminal = terminalFor(interim, this.now);
    this.conditions.push(terminal);
    if (terminal.type === 'Complete') {
      this.status.completionTime = shortTime(new Date(this.now));
      this.d.recorder.event(this.job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.d.recorder.event(this.job, 'Warning', terminal.reason ?? 'Failed', terminal.message ?? '');
    }
  }

  private async writeStatus(): Promise<void> {
    this.status.conditions = this.conditions.length ? this.conditions : undefined;
    if (sameStatus(this.stored, this.status)) return;
    const body = statusPatch(this.status);
    const opts = { namespace: this.job.metadata!.namespace, subresource: 'status' as const };
    const job = await ignoreNotFound(this.ctx.client.patch<Job>(R.jobs, this.job.metadata!.name!, { status: body }, 'merge', opts));
    if (job) {
      this.d.written(job);
      this.stored = structuredClone(job.status ?? {});
    }
  }
}
