// Jobs and CronJobs through real kubectl: the typed create commands (protobuf bodies), get columns,
// wait --for=condition=complete, create job --from=cronjob, and Kubernetes' validation messages (schedules,
// managedBy, successPolicy). No
// nodes: the test plays the kubelet by reporting the Job's pod Succeeded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { jobManifest } from '../../helpers/manifests';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const header = (out: string) => out.split('\n')[0].trim().split(/\s{2,}/);
const row = (out: string) => out.split('\n')[1].trim().split(/\s{2,}/);

describe('kubectl and batch/v1', () => {
  it('creates a Job, shows its columns, and waits for it to complete', async () => {
    await c.kubectlOk(['create', 'job', 'hello', '--image=busybox:1.36', '--', 'echo', 'hi']);
    const job = await c.client.get<Job>(R.jobs, 'hello', 'default');
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
    const running = await c.kubectlOk(['get', 'jobs']);
    expect(header(running)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(row(running).slice(0, 3)).toEqual(['hello', 'Running', '0/1']);
    const wide = await c.kubectlOk(['get', 'job', 'hello', '-o', 'wide']);
    expect(header(wide)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(row(wide).slice(5)).toEqual(['hello', 'busybox:1.36', `batch.kubernetes.io/controller-uid=${job.metadata!.uid!}`]);

    const pod = await waitFor(async () => (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'job-name=hello' })).items[0], 'the job pod');
    const t = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await c.client.patch(R.pods, pod.metadata!.name!, {
      status: { phase: 'Succeeded', containerStatuses: [{ name: 'hello', image: 'busybox:1.36', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: t } } }] },
    }, 'merge', { namespace: 'default', subresource: 'status' });
    const waited = await c.kubectl(['wait', '--for=condition=complete', 'job/hello', '--timeout=20s']);
    expect(waited.stdout.trim()).toBe('job.batch/hello condition met');
    expect(row(await c.kubectlOk(['get', 'job', 'hello'])).slice(0, 3)).toEqual(['hello', 'Complete', '1/1']);
  });

  it('creates a CronJob, shows its columns, and instantiates a Job from it by hand', async () => {
    await c.kubectlOk(['create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/1 * * * *', '--', 'date']);
    const out = await c.kubectlOk(['get', 'cronjobs']);
    expect(header(out)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(row(out).slice(0, 6)).toEqual(['tick', '*/1 * * * *', '<none>', 'False', '0', '<none>']);
    expect((await c.kubectlOk(['get', 'cj', 'tick', '-o', 'name'])).trim()).toBe('cronjob.batch/tick');

    await c.kubectlOk(['create', 'job', 'tick-manual', '--from=cronjob/tick']);
    const job = await c.client.get<Job>(R.jobs, 'tick-manual', 'default');
    const cj = await c.client.get(R.cronjobs, 'tick', 'default');
    expect(job.metadata?.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', uid: cj.metadata!.uid, controller: true });
  });

  it('refuses what Kubernetes refuses, with its messages', async () => {
    const file = path.join(c.dir, 'bad-job.json');
    const bad = jobManifest('bad');
    bad.spec!.template.spec!.restartPolicy = 'Always';
    fs.writeFileSync(file, JSON.stringify(bad));
    const r = await c.kubectl(['apply', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Job "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');

    const tz = await c.kubectl(['create', 'cronjob', 'tz', '--image=busybox:1.36', '--schedule=TZ=UTC 0 * * * *']);
    expect(tz.stderr).toContain('spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    const fields = await c.kubectl(['create', 'cronjob', 'four', '--image=busybox:1.36', '--schedule=* * * *']);
    expect(fields.stderr).toContain('spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]');
    const crontz = await c.kubectl(['create', 'cronjob', 'crontz', '--image=busybox:1.36', '--schedule=CRON_TZ=Europe/Paris 0 * * * *']);
    expect(crontz.stderr).toContain('spec.schedule: Invalid value: "CRON_TZ=Europe/Paris 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    // robfig's @every is a schedule Kubernetes accepts; a bad duration is refused with Go's words.
    await c.kubectlOk(['create', 'cronjob', 'often', '--image=busybox:1.36', '--schedule=@every 90s']);
    const every = await c.kubectl(['create', 'cronjob', 'bad-every', '--image=busybox:1.36', '--schedule=@every 5']);
    expect(every.stderr).toContain('spec.schedule: Invalid value: "@every 5": failed to parse duration @every 5: time: missing unit in duration "5"');
  });

  it('refuses a bad managedBy or successPolicy and keeps managedBy immutable', async () => {
    const file = path.join(c.dir, 'policies.json');
    const write = (spec: Partial<Job['spec']>) => fs.writeFileSync(file, JSON.stringify(jobManifest('pol', spec)));
    write({ managedBy: 'kueue' });
    const by = await c.kubectl(['apply', '-f', file]);
    expect(by.stderr).toContain('The Job "pol" is invalid: spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")');
    write({ completionMode: 'Indexed', completions: 2, parallelism: 2, successPolicy: { rules: [{ succeededIndexes: '0-2' }] } });
    const sp = await c.kubectl(['apply', '-f', file]);
    expect(sp.stderr).toContain('spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-2": error parsing succeededIndexes: too large index: "2"');
    write({ managedBy: 'example.com/batch', suspend: true });
    await c.kubectlOk(['apply', '-f', file]);
    const patched = await c.kubectl(['patch', 'job', 'pol', '--type=merge', '-p', '{"spec":{"managedBy":"example.com/other"}}']);
    expect(patched.stderr).toContain('spec.managedBy: Invalid value: "example.com/other": field is immutable');
  });
});
