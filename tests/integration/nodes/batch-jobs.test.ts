// Jobs and a CronJob on a real sandbox node (containerd, runc, the real agent, real kubectl): a
// three-completion Job with parallelism two completes and its logs read; a failing Job stops at its
// backoffLimit with BackoffLimitExceeded (one 10 s back-off between its two pods); a `*/1 * * * *`
// CronJob with successfulJobsHistoryLimit 1 fires on two consecutive minutes and keeps one Job — the
// slow part: up to two real minutes for the two firings.
import { describe, expect, it } from 'vitest';
import type { CronJob, Job, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';

const IMAGE = 'docker.io/flotilla/hello:1';

function job(name: string, spec: Record<string, unknown>, script: string): string {
  return JSON.stringify({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', script] }] } } },
  });
}

describe.skipIf(skipWithoutAgent)('Jobs and CronJobs on a sandbox node', () => {
  const { c, ok } = sandboxCluster(8, { okTimeoutMs: 150_000 });

  it('runs three completions two at a time to Complete, and kubectl logs job/ reads one', async () => {
    await ok(['apply', '-f', '-'], job('pi', { completions: 3, parallelism: 2 }, 'echo "done on $(hostname)"'));
    await ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=120s']);
    const j = await c.client.get<Job>(R.jobs, 'pi', 'default');
    expect(j.status).toMatchObject({ succeeded: 3 });
    expect(j.status?.active).toBeUndefined(); // 0: omitempty
    const pods = (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'job-name=pi' })).items;
    expect(pods.map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(pods.every((p) => !(p.metadata?.finalizers ?? []).length)).toBe(true);
    expect(await ok(['logs', 'job/pi'])).toMatch(/^done on pi-/);
    const row = (await ok(['get', 'job', 'pi'])).split('\n')[1];
    expect(row).toMatch(/^pi\s+Complete\s+3\/3\s+/);
  }, 180_000);

  it('stops a failing Job at its backoffLimit with BackoffLimitExceeded', async () => {
    await ok(['apply', '-f', '-'], job('fails', { backoffLimit: 1 }, 'echo trying; exit 3'));
    await ok(['wait', '--for=condition=failed', 'job/fails', '--timeout=120s']);
    const j = await c.client.get<Job>(R.jobs, 'fails', 'default');
    expect(j.status?.failed).toBe(2);
    expect(j.status?.conditions?.find((x) => x.type === 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    const pods = (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'job-name=fails' })).items;
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode)).toEqual([3, 3]);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=fails']);
    expect(events).toMatch(/Warning\s+BackoffLimitExceeded\s+job\/fails\s+Job has reached the specified backoff limit/);
  }, 180_000);

  it('fires a CronJob each minute and keeps its history limit', async () => {
    await ok(['create', 'cronjob', 'tick', `--image=${IMAGE}`, '--schedule=*/1 * * * *', '--', 'sh', '-c', 'date']);
    await ok(['patch', 'cronjob', 'tick', '--type=merge', '-p', '{"spec":{"successfulJobsHistoryLimit":1}}']);
    const jobsOf = async () => (await c.client.list<Job>(R.jobs, { namespace: 'default' })).items.filter((x) => x.metadata?.ownerReferences?.[0]?.name === 'tick');
    const first = await waitFor(async () => (await jobsOf())[0], 'the first firing', 75_000, 1000);
    expect(first.metadata?.name).toMatch(/^tick-\d+$/);
    const second = await waitFor(async () => (await jobsOf()).find((x) => x.metadata?.name !== first.metadata?.name), 'the second firing', 75_000, 1000);
    expect(Number(second.metadata!.name!.slice(5)) - Number(first.metadata!.name!.slice(5))).toBe(1);
    await waitFor(async () => {
      const l = await jobsOf();
      return l.length === 1 && l[0].metadata?.name === second.metadata?.name && l[0].status?.conditions?.some((x) => x.type === 'Complete');
    }, 'the older Job deleted once the newer completed', 60_000, 1000);
    const cj = await c.client.get<CronJob>(R.cronjobs, 'tick', 'default');
    expect(cj.status?.lastSuccessfulTime).toBeTruthy();
    expect(cj.status?.lastScheduleTime).toBe(new Date(Number(second.metadata!.name!.slice(5)) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
  }, 240_000);
});
