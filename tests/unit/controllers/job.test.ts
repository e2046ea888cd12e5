// The job controller alone on an in-process control plane, on a clock the test moves: the test plays
// the scheduler and kubelet (running pods, reporting them Succeeded or Failed) and asserts on the
// pods, status, conditions and events the controller writes.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { condition as cond, JOB, jobPlaneEach, POD } from '../../helpers/job-plane';
import { jobManifest } from '../../helpers/manifests';
import { finishPod, runPod } from '../../helpers/node-standin';

const FINALIZER = 'batch.kubernetes.io/job-tracking';

const { cp, advance, now, job, pods, live, poke, waitLive } = jobPlaneEach();

describe('job controller', () => {
  it('runs three completions two at a time, counts them through the tracking finalizer, and completes', async () => {
    const created = await cp.create(jobManifest('pi', { completions: 3, parallelism: 2 }));
    const uid = created.metadata!.uid!;
    expect(created.spec?.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const [a, b] = await waitLive('pi', 2);
    expect(a.metadata?.generateName).toBe('pi-');
    expect(a.metadata?.finalizers).toEqual([FINALIZER]);
    expect(a.metadata?.labels).toMatchObject({ app: 'pi', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid });
    expect(a.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
    await runPod(cp, a, 'n1');
    await runPod(cp, b, 'n1');
    await cp.waitFor(async () => (await job('pi')).status?.ready === 2, 'two ready');

    await finishPod(cp, a, 0);
    const third = await cp.waitFor(async () => (await live('pi')).find((p) => p.metadata?.name !== b.metadata?.name), 'a third pod');
    await cp.waitFor(async () => (await job('pi')).status?.succeeded === 1, 'one succeeded');
    expect((await cp.get<Pod>(POD, a.metadata!.name!, 'default')).metadata?.finalizers ?? []).toEqual([]);
    await finishPod(cp, b, 0);
    await finishPod(cp, third, 0);
    const done = await cp.waitFor(async () => { const j = await job('pi'); return cond(j, 'Complete') ? j : undefined; }, 'Complete');
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0, uncountedTerminatedPods: {} }); // ready is a pointer: its 0 is kept
    expect(done.status).not.toHaveProperty('active'); // 0: omitempty
    expect(done.status?.failed ?? 0).toBe(0);
    expect(done.status?.completionTime).toBeTruthy();
    expect(cond(done, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(cond(done, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    expect((await pods('pi')).length).toBe(3);
    const events = await cp.waitFor(async () => { const e = await cp.events('pi', 'default'); return e.some((x) => x.reason === 'Completed') ? e : undefined; }, 'events');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
    expect(events.find((e) => e.reason === 'Completed')?.message).toBe('Job completed');
  });

  it('re-creates a failed pod only after the back-off, and fails with BackoffLimitExceeded past backoffLimit', async () => {
    await cp.create(jobManifest('flaky', { backoffLimit: 1 }));
    const [first] = await waitLive('flaky', 1);
    await runPod(cp, first, 'n1');
    await finishPod(cp, first, 1, now());
    await cp.waitFor(async () => (await job('flaky')).status?.failed === 1, 'one failure counted');
    await poke('flaky');
    // 10 s back-off after the first failure: no replacement yet.
    await cp.waitFor(async () => (await job('flaky')).metadata?.annotations?.poke !== undefined, 'poked');
    expect(await live('flaky')).toHaveLength(0);
    advance(11_000);
    await poke('flaky');
    const [second] = await waitLive('flaky', 1);
    await runPod(cp, second, 'n1');
    await finishPod(cp, second, 2, now());
    const failed = await cp.waitFor(async () => { const j = await job('flaky'); return cond(j, 'Failed') ? j : undefined; }, 'Failed');
    expect(cond(failed, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(cond(failed, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(failed.status).toMatchObject({ failed: 2 });
    expect(failed.status).not.toHaveProperty('active'); // 0: omitempty
    expect(failed.status?.completionTime).toBeUndefined();
    const events = await cp.waitFor(async () => { const e = await cp.events('flaky', 'default'); return e.some((x) => x.reason === 'BackoffLimitExceeded') ? e : undefined; }, 'event');
    expect(events.find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
  });

  it('gives Indexed pods their index (annotation, label, hostname, JOB_COMPLETION_INDEX) and reports completedIndexes', async () => {
    await cp.create(jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const ps = await waitLive('idx', 3);
    const byIndex = new Map(ps.map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    const p2 = byIndex.get('2')!;
    expect(p2.metadata?.generateName).toBe('idx-2-');
    expect(p2.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).toBe('2');
    expect(p2.spec?.hostname).toBe('idx-2');
    expect(p2.spec?.containers[0].env).toContainEqual({
      name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
    });
    await finishPod(cp, byIndex.get('0')!, 0);
    await finishPod(cp, p2, 0);
    const st = await cp.waitFor(async () => { const s = (await job('idx')).status; return s?.succeeded === 2 ? s : undefined; }, 'two indexes done');
    expect(st.completedIndexes).toBe('0,2');
    // A failed index is retried (after the back-off) with the same index.
    await finishPod(cp, byIndex.get('1')!, 1, now());
    advance(11_000);
    await cp.waitFor(async () => (await job('idx')).status?.failed === 1, 'failure counted');
    await poke('idx');
    const [retry] = await waitLive('idx', 1);
    expect(retry.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    await finishPod(cp, retry, 0);
    const done = await cp.waitFor(async () => { const j = await job('idx'); return cond(j, 'Complete') ? j : undefined; }, 'Complete');
    expect(done.status?.completedIndexes).toBe('0-2');
  });

  it('creates no pods while suspended, and resets startTime on resume', async () => {
    await cp.create(jobManifest('later', { suspend: true }));
    const j = await cp.waitFor(async () => { const x = await job('later'); return cond(x, 'Suspended') ? x : undefined; }, 'Suspended');
    expect(cond(j, 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended', message: 'Job suspended' });
    expect(j.status?.startTime).toBeUndefined();
    expect(await pods('later')).toHaveLength(0);
    await cp.patch(JOB, 'later', 'default', { spec: { suspend: false } });
    await waitLive('later', 1);
    const resumed = await cp.waitFor(async () => { const x = await job('later'); return cond(x, 'Suspended')?.status === 'False' ? x : undefined; }, 'resumed');
    expect(cond(resumed, 'Suspended')).toMatchObject({ reason: 'JobResumed', message: 'Job resumed' });
    expect(resumed.status?.startTime).toBeTruthy();
    // Suspending again deletes the running pod.
    await cp.patch(JOB, 'later', 'default', { spec: { suspend: true } });
    await cp.waitFor(async () => (await live('later')).length === 0, 'pod deleted on suspend');
    await cp.eventsIncluding('later', 'default', ['Suspended', 'Resumed', 'SuccessfulCreate', 'SuccessfulDelete']);
  });

  it('fails the Job at activeDeadlineSeconds with DeadlineExceeded and deletes its pods', async () => {
    await cp.create(jobManifest('slow', { activeDeadlineSeconds: 30 }));
    const [p] = await waitLive('slow', 1);
    await runPod(cp, p, 'n1');
    advance(31_000);
    await poke('slow');
    const failed = await cp.waitFor(async () => { const j = await job('slow'); return cond(j, 'FailureTarget') ? j : undefined; }, 'FailureTarget');
    expect(cond(failed, 'FailureTarget')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    // The pod being deleted counts as failed (podReplacementPolicy TerminatingOrFailed): the Job releases it.
    await cp.waitFor(async () => {
      const cur = await cp.get<Pod>(POD, p.metadata!.name!, 'default');
      return cur.metadata?.deletionTimestamp && !(cur.metadata.finalizers ?? []).length;
    }, 'pod deleted and released');
    expect(cond(await job('slow'), 'Failed')).toBeUndefined();
    // The kubelet confirms the deletion (grace period over): no pod is left running and the Job is Failed.
    await cp.delete(POD, p.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    const done = await cp.waitFor(async () => { const j = await job('slow'); return cond(j, 'Failed') ? j : undefined; }, 'Failed');
    expect(cond(done, 'Failed')?.reason).toBe('DeadlineExceeded');
    expect(done.status?.failed).toBe(1);
  });

  it('applies the podFailurePolicy: Ignore does not count, FailJob fails the Job at once', async () => {
    await cp.create(jobManifest('policy', {
      backoffLimit: 6,
      podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }, { action: 'FailJob', onExitCodes: { containerName: 'app', operator: 'In', values: [42] } }] },
    }));
    const [a] = await waitLive('policy', 1);
    await finishPod(cp, a, 3);
    const [b] = await cp.waitFor(async () => { const l = (await live('policy')).filter((p) => p.metadata?.name !== a.metadata?.name); return l.length ? l : undefined; }, 'replacement, no back-off');
    expect((await job('policy')).status?.failed ?? 0).toBe(0);
    await finishPod(cp, b, 42);
    const failed = await cp.waitFor(async () => { const j = await job('policy'); return cond(j, 'Failed') ? j : undefined; }, 'Failed');
    expect(cond(failed, 'Failed')).toMatchObject({
      reason: 'PodFailurePolicy', message: `Container app for pod default/${b.metadata!.name!} failed with exit code 42 matching FailJob rule at index 1`,
    });
    expect(failed.status?.failed).toBe(1);
  });

  it('releases the finalizer of pods whose Job is deleted', async () => {
    await cp.create(jobManifest('gone', { parallelism: 2, completions: 2 }));
    const [a] = await waitLive('gone', 2);
    // No garbage collector runs here: the pods stay, their Job gone.
    await cp.delete(JOB, 'gone', { namespace: 'default', propagationPolicy: 'Background' });
    await cp.waitFor(async () => ((await cp.get<Pod>(POD, a.metadata!.name!, 'default')).metadata?.finalizers ?? []).length === 0, 'finalizer released');
  });
});
