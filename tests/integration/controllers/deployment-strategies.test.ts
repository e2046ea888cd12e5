// Recreate (old pods gone before new ones start), paused rollouts, revisionHistoryLimit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, KObject, Pod, ReplicaSet } from '../../../main/api/types';
import { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import type { TestCluster } from './cluster';
import { deploymentManifest, eventually, startTestCluster } from './cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ nodes: 2 });
});
afterAll(async () => {
  await c?.stop();
});

const pods = async (app: string) => (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items as unknown as Pod[];
const rsets = async (app: string) => (await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` })).items as unknown as ReplicaSet[];
const running = (p: Pod) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;

describe('deployment strategies', () => {
  it('Recreate never runs old and new pods together', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('rec', 3, 'app:1', { strategy: { type: 'Recreate' } }) as unknown as KObject);
    await eventually(async () => (await pods('rec')).filter(running).length === 3, 20_000, 'v1 running');
    const inf = new Informer<Pod>(c.core.client, R.pods, { namespace: 'default', labelSelector: 'app=rec' });
    let mixed = false;
    const check = () => {
      const imgs = new Set(inf.list().filter((p) => p.status?.phase === 'Running').map((p) => p.spec!.containers[0].image));
      if (imgs.size > 1) mixed = true;
    };
    inf.addHandler({ add: check, update: check, delete: check });
    const stop = inf.start();
    await inf.hasSynced;
    expect((await c.kubectl('set', 'image', 'deployment/rec', 'web=app:2')).code).toBe(0);
    expect((await c.kubectl('rollout', 'status', 'deployment/rec', '--timeout=60s')).code).toBe(0);
    await eventually(async () => {
      const l = await pods('rec');
      return l.length === 3 && l.every((p) => running(p) && p.spec!.containers[0].image === 'app:2');
    }, 20_000, 'v2 running');
    stop();
    expect(mixed).toBe(false);
  });

  it('a paused deployment does not roll, scales, and rolls when resumed; history is pruned', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('pz', 2, 'app:1', { revisionHistoryLimit: 1 }) as unknown as KObject);
    await eventually(async () => (await pods('pz')).filter(running).length === 2, 20_000, 'running');
    expect((await c.kubectl('rollout', 'pause', 'deployment/pz')).code).toBe(0);
    expect((await c.kubectl('set', 'image', 'deployment/pz', 'web=app:2')).code).toBe(0);
    await eventually(async () => {
      const d = await c.core.client.get<Deployment & KObject>(R.deployments, 'pz', 'default');
      return d.status?.conditions?.find((x) => x.type === 'Progressing')?.reason === 'DeploymentPaused';
    }, 10_000, 'paused condition');
    expect((await rsets('pz')).length).toBe(1);
    expect((await c.kubectl('scale', 'deployment/pz', '--replicas=3')).code).toBe(0);
    await eventually(async () => (await pods('pz')).filter(running).length === 3, 20_000, 'scaled while paused');
    expect((await pods('pz')).every((p) => p.spec!.containers[0].image === 'app:1')).toBe(true);
    expect((await c.kubectl('rollout', 'resume', 'deployment/pz')).code).toBe(0);
    expect((await c.kubectl('rollout', 'status', 'deployment/pz', '--timeout=60s')).code).toBe(0);
    expect((await c.kubectl('set', 'image', 'deployment/pz', 'web=app:3')).code).toBe(0);
    expect((await c.kubectl('rollout', 'status', 'deployment/pz', '--timeout=60s')).code).toBe(0);
    // revisionHistoryLimit 1: the current ReplicaSet and one old one.
    await eventually(async () => (await rsets('pz')).length === 2, 10_000, 'history pruned');
    const hist = await c.kubectl('rollout', 'history', 'deployment/pz');
    expect(hist.stdout).toMatch(/\n2 .*\n3 /s);
  });
});
