// The job controller's per-index and policy rules, alone on an in-process control plane with a clock
// the test moves: backoffLimitPerIndex (failure counts carried by the replacement, failedIndexes,
// FailedIndexes / MaxFailedIndexesExceeded, FailIndex), successPolicy, managedBy and
// podReplacementPolicy Failed. The test plays the kubelet.
import { describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../../main/api/types';
import { condition as cond, jobPlaneEach, POD } from '../../helpers/job-plane';
import { jobManifest } from '../../helpers/manifests';
import { finishPod, runPod } from '../../helpers/node-standin';

const FINALIZER = 'batch.kubernetes.io/job-tracking';
const INDEX = 'batch.kubernetes.io/job-completion-index';
const FAILURES = 'batch.kubernetes.io/job-index-failure-count';

const { cp, advance, now, job, pods, live, poke, waitLive } = jobPlaneEach();

const index = (p: Pod) => p.metadata?.annotations?.[INDEX];

async function waitCondition(name: string, type: string): Promise<Job> {
  return cp.waitFor(async () => { const j = await job(name); return cond(j, type) ? j : undefined; }, `${name} ${type}`);
}
/** Confirms the deletion of the Job's terminating pods, as the kubelet does once their containers stopped. */
async function reapTerminating(name: string): Promise<void> {
  for (const p of await pods(name)) if (p.metadata?.deletionTimestamp) await cp.delete(POD, p.metadata.name!, { namespace: 'default', gracePeriodSeconds: 0 });
}

describe('job controller: per-index back-off', () => {
  it('retries an index up to backoffLimitPerIndex, carries the count, and fails the Job with FailedIndexes', async () => {
    await cp.create(jobManifest('pi', { completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 1 }));
    const first = await waitLive('pi', 2);
    expect(first.map((p) => p.metadata?.annotations?.[FAILURES])).toEqual(['0', '0']);
    expect((await job('pi')).spec?.backoffLimit).toBe(2147483647);
    const zero = first.find((p) => index(p) === '0')!;
    const one = first.find((p) => index(p) === '1')!;
    await runPod(cp, zero, 'n1');
    await finishPod(cp, zero, 1, now());
    // The index backs off 10 s; its failed pod keeps the finalizer until the replacement exists.
    const st = await cp.waitFor(async () => { const j = await job('pi'); return j.status?.failedIndexes === '' ? j.status : undefined; }, 'failedIndexes ""');
    expect(st.failed ?? 0).toBe(0);
    expect((await cp.get<Pod>(POD, zero.metadata!.name!, 'default')).metadata?.finalizers).toEqual([FINALIZER]);
    advance(11_000);
    await poke('pi');
    const retry = await cp.waitFor(async () => (await live('pi')).find((p) => index(p) === '0'), 'index 0 again');
    expect(retry.metadata?.annotations?.[FAILURES]).toBe('1');
    await cp.waitFor(async () => ((await cp.get<Pod>(POD, zero.metadata!.name!, 'default')).metadata?.finalizers ?? []).length === 0, 'first pod released');
    await cp.waitFor(async () => (await job('pi')).status?.failed === 1, 'one failure counted');

    // The second failure exhausts the index: no replacement, failedIndexes "0"; the Job goes on with index 1.
    await finishPod(cp, retry, 1, now());
    await cp.waitFor(async () => (await job('pi')).status?.failedIndexes === '0', 'index 0 failed');
    expect((await live('pi')).map(index)).toEqual(['1']);
    expect(cond(await job('pi'), 'FailureTarget')).toBeUndefined();
    await finishPod(cp, one, 0);
    const failed = await waitCondition('pi', 'Failed');
    expect(cond(failed, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'FailedIndexes', message: 'Job has failed indexes' });
    expect(cond(failed, 'Failed')).toMatchObject({ reason: 'FailedIndexes', message: 'Job has failed indexes' });
    expect(failed.status).toMatchObject({ failed: 2, succeeded: 1, completedIndexes: '1', failedIndexes: '0' });
    expect(failed.status).not.toHaveProperty('active'); // 0: omitempty
  });

  it('fails an index at once on a FailIndex rule and the Job past maxFailedIndexes, deleting the rest', async () => {
    await cp.create(jobManifest('mx', {
      completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 5, maxFailedIndexes: 0,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] } }] },
    }));
    const ps = await waitLive('mx', 3);
    const two = ps.find((p) => index(p) === '2')!;
    await runPod(cp, two, 'n1');
    await runPod(cp, ps.find((p) => index(p) === '0')!, 'n1');
    await finishPod(cp, two, 42, now());
    const target = await waitCondition('mx', 'FailureTarget');
    expect(cond(target, 'FailureTarget')).toMatchObject({ reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' });
    expect(target.status?.failedIndexes).toBe('2');
    await cp.waitFor(async () => (await live('mx')).length === 0, 'the other pods deleted');
    // Index 0's pod runs on a node: the Job is Failed only once its kubelet confirmed the deletion.
    await cp.waitFor(async () => (await job('mx')).status?.terminating === 1, 'one pod terminating');
    expect(cond(await job('mx'), 'Failed')).toBeUndefined();
    await reapTerminating('mx');
    const failed = await waitCondition('mx', 'Failed');
    expect(cond(failed, 'Failed')?.reason).toBe('MaxFailedIndexesExceeded');
    // A failing Job counts the pods it stops as failed too.
    expect(failed.status).toMatchObject({ failed: 3, failedIndexes: '2', terminating: 0 }); // terminating is a pointer: its 0 is kept
    expect(failed.status).not.toHaveProperty('active'); // 0: omitempty
  });
});

describe('job controller: successPolicy, managedBy, podReplacementPolicy', () => {
  it('declares the Job succeeded when a successPolicy rule matches, then Complete once the rest are gone', async () => {
    await cp.create(jobManifest('leader', {
      completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0', succeededCount: 1 }] },
    }));
    const ps = await waitLive('leader', 3);
    await runPod(cp, ps.find((p) => index(p) === '2')!, 'n1');
    await finishPod(cp, ps.find((p) => index(p) === '1')!, 0);
    await cp.waitFor(async () => (await job('leader')).status?.completedIndexes === '1', 'index 1 counted');
    expect(cond(await job('leader'), 'SuccessCriteriaMet')).toBeUndefined();
    await finishPod(cp, ps.find((p) => index(p) === '0')!, 0);
    const met = await waitCondition('leader', 'SuccessCriteriaMet');
    expect(cond(met, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'SuccessPolicy', message: 'Matched rules at index 0' });
    await cp.waitFor(async () => (await live('leader')).length === 0, 'index 2 deleted');
    expect(cond(await job('leader'), 'Complete')).toBeUndefined();
    await reapTerminating('leader');
    const done = await waitCondition('leader', 'Complete');
    expect(cond(done, 'Complete')).toMatchObject({ reason: 'SuccessPolicy', message: 'Matched rules at index 0' });
    expect(done.status).toMatchObject({ succeeded: 2, completedIndexes: '0,1' });
    expect(done.status).not.toHaveProperty('active'); // 0: omitempty
    // The pod stopped by success is released without counting as failed.
    expect(done.status?.failed ?? 0).toBe(0);
    expect(done.status?.completionTime).toBeTruthy();
  });

  it('leaves a Job whose managedBy names another controller alone', async () => {
    await cp.create(jobManifest('theirs', { managedBy: 'example.com/batch', parallelism: 2, completions: 2 }));
    await cp.create(jobManifest('ours', { managedBy: 'kubernetes.io/job-controller' }));
    // The controller took 'ours' (queued after 'theirs') and wrote its status: it has looked at both.
    await waitLive('ours', 1);
    await cp.waitFor(async () => (await job('ours')).status?.startTime, 'status of ours');
    expect(await pods('theirs')).toHaveLength(0);
    expect((await job('theirs')).status ?? {}).toEqual({});
  });

  it('with podReplacementPolicy Failed waits for a deleted pod to fail before replacing it', async () => {
    await cp.create(jobManifest('patient', { podReplacementPolicy: 'Failed', backoffLimit: 3 }));
    const [p] = await waitLive('patient', 1);
    await runPod(cp, p, 'n1');
    await cp.delete(POD, p.metadata!.name!, { namespace: 'default' });
    // status.terminating is written by the same sync that would have created a replacement.
    await cp.waitFor(async () => (await job('patient')).status?.terminating === 1, 'terminating 1');
    expect(await live('patient')).toHaveLength(0);
    expect((await job('patient')).status?.active).toBeUndefined(); // 0: omitempty
    await finishPod(cp, p, 137, now());
    advance(11_000);
    await poke('patient');
    const [next] = await waitLive('patient', 1);
    expect(next.metadata?.name).not.toBe(p.metadata?.name);
    await cp.waitFor(async () => (await job('patient')).status?.failed === 1, 'the deleted pod counted as failed');
  });
});
