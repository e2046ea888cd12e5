// The CronJob controller alone on an in-process control plane, on a clock the test moves: each
// scheduled minute is reached by moving the clock, not by waiting. The test plays the job controller
// (marking Jobs Complete) and asserts on the Jobs, status and events.
import { describe, expect, it } from 'vitest';
import type { CronJob, Job } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { cronJobManifest } from '../../helpers/manifests';

const CJ = { apiVersion: 'batch/v1', kind: 'CronJob' };
const JOB = { apiVersion: 'batch/v1', kind: 'Job' };

let skew = 0;
const cp = controlPlaneEach('cronjob', { now: () => Date.now() + skew }, () => {
  skew = 0;
  return Promise.resolve();
});

const cronJob = (name: string) => cp.get<CronJob>(CJ, name, 'default');
const jobs = async () => (await cp.list<Job>(JOB, 'default')).filter((j) => !j.metadata?.deletionTimestamp);
/** Moves the clock to `t` (ms) and makes the controller look again. */
async function at(name: string, t: number): Promise<void> {
  skew = t - Date.now();
  await cp.patch(CJ, name, 'default', { metadata: { annotations: { poke: String(t) } } });
}
/** The first whole minute after the CronJob was created. */
const firstMinute = (cj: CronJob) => (Math.floor(Date.parse(cj.metadata!.creationTimestamp!) / 60_000) + 1) * 60_000;

async function complete(name: string, when: number): Promise<void> {
  const t = new Date(when).toISOString().replace(/\.\d+Z$/, 'Z');
  await cp.patchStatus(JOB, name, 'default', {
    startTime: t, completionTime: t, succeeded: 1,
    conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: t }, { type: 'Complete', status: 'True', lastTransitionTime: t }],
  });
}

async function jobNamed(name: string): Promise<Job> {
  return cp.waitFor(async () => (await jobs()).find((j) => j.metadata?.name === name), `job ${name}`);
}

describe('cronjob controller', () => {
  it('creates <cronjob>-<minutes> at each scheduled minute, tracks active and last times, and keeps the history limit', async () => {
    const created = await cp.create(cronJobManifest('tick', '*/1 * * * *', { successfulJobsHistoryLimit: 1 }));
    const t1 = firstMinute(created);
    await at('tick', t1 + 5_000);
    const first = await jobNamed(`tick-${t1 / 60_000}`);
    expect(first.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(first.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(t1).toISOString().replace(/\.\d+Z$/, 'Z'));
    expect(first.metadata?.labels).toEqual({ app: 'tick' }); // the Job's defaults copy its template's labels
    const st = await cp.waitFor(async () => { const s = (await cronJob('tick')).status; return s?.active?.length ? s : undefined; }, 'active');
    expect(st.active).toEqual([expect.objectContaining({ kind: 'Job', name: first.metadata!.name, namespace: 'default', uid: first.metadata!.uid })]);
    expect(st.lastScheduleTime).toBe(new Date(t1).toISOString().replace(/\.\d+Z$/, 'Z'));

    await complete(first.metadata!.name!, t1 + 10_000);
    await cp.waitFor(async () => { const s = (await cronJob('tick')).status; return !s?.active?.length && s?.lastSuccessfulTime; }, 'completed job leaves active');
    const t2 = t1 + 60_000;
    await at('tick', t2 + 1_000);
    const second = await jobNamed(`tick-${t2 / 60_000}`);
    await complete(second.metadata!.name!, t2 + 10_000);
    // Two successful Jobs, history limit 1: the older one goes.
    await cp.waitFor(async () => { const l = await jobs(); return l.length === 1 && l[0].metadata?.name === second.metadata?.name; }, 'older job deleted');
    await cp.eventsIncluding('tick', 'default', [
      `SuccessfulCreate: Created job ${first.metadata!.name!}`, `SawCompletedJob: Saw completed job: ${first.metadata!.name!}, condition: Complete`,
      `SuccessfulDelete: Deleted job ${first.metadata!.name!}`,
    ], (e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
  });

  it('with Forbid skips a run while one is active', async () => {
    const forbid = await cp.create(cronJobManifest('one', '*/1 * * * *', { concurrencyPolicy: 'Forbid' }));
    const t1 = firstMinute(forbid);
    await at('one', t1 + 1_000);
    await jobNamed(`one-${t1 / 60_000}`);
    await at('one', t1 + 61_000);
    await cp.waitFor(async () => (await cp.events('one', 'default')).some((e) => e.reason === 'JobAlreadyActive'), 'JobAlreadyActive');
    expect((await jobs()).map((j) => j.metadata?.name)).toEqual([`one-${t1 / 60_000}`]);
  });

  it('with Replace deletes the active run and starts the new one', async () => {
    const replace = await cp.create(cronJobManifest('swap', '*/1 * * * *', { concurrencyPolicy: 'Replace' }));
    const r1 = firstMinute(replace);
    await at('swap', r1 + 1_000);
    await jobNamed(`swap-${r1 / 60_000}`);
    await at('swap', r1 + 61_000);
    await jobNamed(`swap-${r1 / 60_000 + 1}`);
    await cp.waitFor(async () => !(await jobs()).some((j) => j.metadata?.name === `swap-${r1 / 60_000}`), 'replaced job deleted');
  });

  it('after more than 100 missed times warns and starts only the latest', async () => {
    const created = await cp.create(cronJobManifest('late', '*/1 * * * *'));
    const t = firstMinute(created) + 200 * 60_000;
    await at('late', t + 2_000);
    await jobNamed(`late-${t / 60_000}`);
    const events = await cp.waitFor(async () => { const e = await cp.events('late', 'default'); return e.some((x) => x.reason === 'TooManyMissedTimes') ? e : undefined; }, 'warning');
    expect(events.find((e) => e.reason === 'TooManyMissedTimes')).toMatchObject({
      type: 'Warning', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    });
    expect(await jobs()).toHaveLength(1);
  });

  it('starts nothing while suspended, and nothing late past startingDeadlineSeconds', async () => {
    const created = await cp.create(cronJobManifest('held', '*/1 * * * *', { suspend: true }));
    const t1 = firstMinute(created);
    await at('held', t1 + 1_000);
    await cp.waitFor(async () => (await cronJob('held')).metadata?.annotations?.poke, 'poked');
    await cp.patch(CJ, 'held', 'default', { spec: { suspend: false, startingDeadlineSeconds: 10 } });
    await at('held', t1 + 5_000);
    await jobNamed(`held-${t1 / 60_000}`);
    // The next run is seen only 40 s late, past its 10 s deadline: not started, MissSchedule.
    await at('held', t1 + 60_000 + 40_000);
    await cp.waitFor(async () => (await cronJob('held')).metadata?.annotations?.poke === String(t1 + 100_000), 'poked');
    expect((await jobs()).map((j) => j.metadata?.name)).toEqual([`held-${t1 / 60_000}`]);
  });

  it('runs an @every schedule at a constant interval from its creation (robfig\'s ConstantDelaySchedule)', async () => {
    const created = await cp.create(cronJobManifest('often', '@every 90s'));
    const t0 = Date.parse(created.metadata!.creationTimestamp!);
    await at('often', t0 + 95_000);
    await jobNamed(`often-${Math.floor((t0 + 90_000) / 60_000)}`);
    const st = await cp.waitFor(async () => (await cronJob('often')).status?.lastScheduleTime, 'lastScheduleTime');
    expect(Date.parse(st)).toBe(t0 + 90_000);
    await at('often', t0 + 185_000);
    await jobNamed(`often-${Math.floor((t0 + 180_000) / 60_000)}`);
  });
});
