// ReplicationControllers over a hollow node with real kubectl: the defaults (selector and labels from the
// template, replicas 1), the controller's pods and status, kubectl get/describe/scale, Kubernetes' validation
// messages, and the garbage collection of its pods when it is deleted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, ReplicationController } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(1);
});
afterAll(async () => {
  await c?.stop();
});

async function pods(app: string): Promise<Pod[]> {
  const l = await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` });
  return l.items as unknown as Pod[];
}
const ready = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');

function rcManifest(name: string, spec: Record<string, unknown>): string {
  const file = path.join(c.dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name }, spec }));
  return file;
}
const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });

async function getRc(name: string): Promise<ReplicationController> {
  return await c.core.client.get<ReplicationController & { metadata: object }>(R.replicationcontrollers, name, 'default');
}

describe('replicationcontrollers', () => {
  it('defaults, runs its pods, prints, describes, scales and collects its pods', async () => {
    await c.kubectlOk(['apply', '-f', rcManifest('web', { template: template({ app: 'web' }) })]);
    const rc = await getRc('web');
    expect(rc.spec?.selector).toEqual({ app: 'web' });
    expect(rc.metadata?.labels).toEqual({ app: 'web' });
    expect(rc.spec?.replicas).toBe(1);

    const [first] = await waitFor(async () => { const ps = (await pods('web')).filter(ready); return ps.length === 1 ? ps : undefined; }, 'one ready pod');
    expect(first.metadata?.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: rc.metadata?.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(first.metadata?.generateName).toBe('web-');

    expect((await c.kubectlOk(['scale', 'rc/web', '--replicas=3'])).trim()).toBe('replicationcontroller/web scaled');
    await waitFor(async () => (await pods('web')).filter(ready).length === 3, 'three ready pods');
    const status = await waitFor(async () => { const s = (await getRc('web')).status; return s?.readyReplicas === 3 ? s : undefined; }, 'status of 3');
    expect(status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 });

    const table = (await c.kubectlOk(['get', 'rc'])).trim().split('\n').map((l) => l.split(/\s+/));
    expect(table[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(table[1].slice(0, 4)).toEqual(['web', '3', '3', '3']);
    const wide = (await c.kubectlOk(['get', 'replicationcontrollers', '-o', 'wide'])).trim().split('\n').map((l) => l.split(/\s+/));
    expect(wide[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide[1].slice(5)).toEqual(['web', 'nginx:1.27', 'app=web']);
    const scale = JSON.parse(await c.kubectlOk(['get', '--raw', '/api/v1/namespaces/default/replicationcontrollers/web/scale'])) as Record<string, unknown>;
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=web' } });

    const described = await c.kubectlOk(['describe', 'rc', 'web']);
    expect(described).toMatch(/Selector:\s+app=web/);
    expect(described).toMatch(/Replicas:\s+3 current \/ 3 desired/);
    expect(described).toMatch(/Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+.*replication-controller\s+Created pod: web-/);

    // A pod deleted by hand is replaced.
    const victim = (await pods('web'))[0].metadata!.name!;
    await c.kubectlOk(['delete', 'pod', victim, '--wait=false']);
    await waitFor(async () => { const ps = (await pods('web')).filter(ready); return ps.length === 3 && ps.every((p) => p.metadata?.name !== victim); }, 'a replacement');

    await c.kubectlOk(['delete', 'rc', 'web']);
    await waitFor(async () => (await pods('web')).length === 0, 'the pods collected', 30_000);
  });

  it('refuses what Kubernetes refuses, with its messages', async () => {
    const mismatch = await c.kubectl(['create', '-f', rcManifest('bad', { selector: { app: 'a' }, template: template({ app: 'b' }) })]);
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toContain('The ReplicationController "bad" is invalid: '
      + 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`');

    const empty = await c.kubectl(['create', '-f', rcManifest('empty', { replicas: -1 })]);
    expect(empty.stderr).toContain('The ReplicationController "empty" is invalid: \n* spec.selector: Required value\n'
      + '* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n* spec.template: Required value\n');

    const tpl = template({ app: 'd' });
    const deadline = await c.kubectl(['create', '-f', rcManifest('deadline', { template: { ...tpl, spec: { ...tpl.spec, activeDeadlineSeconds: 5, restartPolicy: 'Never' } } })]);
    expect(deadline.stderr).toContain('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
    expect(deadline.stderr).toContain('spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported');

    const scale = await c.kubectl(['scale', 'rc/missing', '--replicas=2']);
    expect(scale.stderr).toContain('replicationcontrollers "missing" not found');
  });
});
