// Deployments over hollow nodes with real kubectl: even spreading, scaling, a rolling update that
// never drops below the desired ready count, rollout status, rollout undo, and a rollout that makes no
// progress failing `kubectl rollout status` once progressDeadlineSeconds has passed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, KObject, Pod, ReplicaSet } from '../../../main/api/types';
import { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(3);
});
afterAll(async () => {
  await c?.stop();
});

async function pods(app: string): Promise<Pod[]> {
  const l = await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` });
  return l.items as unknown as Pod[];
}
const ready = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');

describe('deployment controller', () => {
  it('spreads 10 replicas evenly over 3 nodes, scales with kubectl, rolls and rolls back', async () => {
    const file = path.join(c.dir, 'web.json');
    fs.writeFileSync(file, JSON.stringify(deploymentManifest('web', 10, 'nginx:1.27', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } })));
    const applied = await c.kubectl(['apply', '-f', file]);
    expect(applied.stderr).toBe('');
    const running = await waitFor(async () => {
      const ps = (await pods('web')).filter(ready);
      return ps.length === 10 ? ps : undefined;
    }, '10 ready pods', 20_000);
    const perNode = new Map<string, number>();
    for (const p of running) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    expect([...perNode.values()].sort()).toEqual([3, 3, 4]);
    const st = await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(st.stdout).toContain('successfully rolled out');

    // kubectl scale up and down.
    expect((await c.kubectl(['scale', 'deployment/web', '--replicas=15'])).code).toBe(0);
    await waitFor(async () => (await pods('web')).filter(ready).length === 15, '15 ready', 20_000);
    expect((await c.kubectl(['scale', 'deployment/web', '--replicas=10'])).code).toBe(0);
    await waitFor(async () => (await pods('web')).length === 10 && (await pods('web')).every(ready), 'back to 10', 20_000);
    await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);

    // Rolling update with maxUnavailable 0: watch ready pods throughout.
    const inf = new Informer<Pod>(c.core.client, R.pods, { namespace: 'default', labelSelector: 'app=web' });
    let minReady = Infinity;
    const count = () => {
      minReady = Math.min(minReady, inf.list().filter(ready).length);
    };
    inf.addHandler({ add: count, update: count, delete: count });
    const stopInf = inf.start();
    await inf.hasSynced;
    minReady = inf.list().filter(ready).length;
    expect((await c.kubectl(['set', 'image', 'deployment/web', 'web=nginx:1.28'])).code).toBe(0);
    const rs = await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(rs.code).toBe(0);
    expect(rs.stdout).toContain('deployment "web" successfully rolled out');
    await waitFor(async () => {
      const ps = await pods('web');
      return ps.length === 10 && ps.every((p) => p.spec!.containers[0].image === 'nginx:1.28' && ready(p));
    }, 'all pods on the new image', 20_000);
    stopInf();
    expect(minReady).toBeGreaterThanOrEqual(10);

    const rsets = (await c.core.client.list(R.replicasets, { namespace: 'default' })).items as unknown as ReplicaSet[];
    expect(rsets.length).toBe(2);
    for (const r of rsets) {
      expect(r.metadata?.labels?.['pod-template-hash']).toBeTruthy();
      expect(r.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    }
    const d = await c.core.client.get<Deployment & KObject>(R.deployments, 'web', 'default');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status?.conditions?.map((x) => x.reason)).toEqual(['MinimumReplicasAvailable', 'NewReplicaSetAvailable']);

    // kubectl rollout undo goes back to the first template (revision 3).
    const undo = await c.kubectl(['rollout', 'undo', 'deployment/web']);
    expect(undo.stdout + undo.stderr).toContain('rolled back');
    expect((await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 90_000 })).code).toBe(0);
    await waitFor(async () => {
      const ps = await pods('web');
      return ps.length === 10 && ps.every((p) => p.spec!.containers[0].image === 'nginx:1.27' && ready(p));
    }, 'all pods back on the old image', 20_000);
    const d2 = await c.core.client.get<Deployment & KObject>(R.deployments, 'web', 'default');
    expect(d2.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('a rollout stuck past progressDeadlineSeconds is Progressing=False/ProgressDeadlineExceeded and kubectl rollout status fails', async () => {
    // Its pods fit no node, so the rollout can make no progress.
    await c.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(deploymentManifest('stuck', 2, 'nginx:1.27', {
      progressDeadlineSeconds: 2,
      template: { metadata: { labels: { app: 'stuck' } }, spec: { nodeSelector: { disk: 'none-has-it' }, containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    })) });
    const r = await c.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=30s'], { timeoutMs: 45_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
    const d = await c.core.client.get<Deployment & KObject>(R.deployments, 'stuck', 'default');
    const cond = d.status?.conditions?.find((x) => x.type === 'Progressing');
    expect(cond).toEqual(expect.objectContaining({ status: 'False', reason: 'ProgressDeadlineExceeded' }));
    expect(cond?.message).toMatch(/^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
    const described = await c.kubectlOk(['describe', 'deployment', 'stuck']);
    expect(described).toMatch(/Progressing\s+False\s+ProgressDeadlineExceeded/);
    await c.kubectlOk(['delete', 'deployment', 'stuck', '--wait=false']);
  }, 60_000);
});
