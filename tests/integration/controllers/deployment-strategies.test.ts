// Recreate (old pods gone before new ones start), paused rollouts, revisionHistoryLimit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, KObject, Pod, ReplicaSet } from '../../../main/api/types';
import { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(2);
});
afterAll(async () => {
  await c?.stop();
});

const pods = async (app: string) => (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items as unknown as Pod[];
const rsets = async (app: string) => (await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` })).items as unknown as ReplicaSet[];
const running = (p: Pod) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;

describe('deployment strategies', () => {
  it('Recreate never runs old and new pods together', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('rec', 3, 'app:1', { strategy: { type: 'Recreate' } }));
    await waitFor(async () => (await pods('rec')).filter(running).length === 3, 'v1 running', 20_000);
    const inf = new Informer<Pod>(c.core.client, R.pods, { namespace: 'default', labelSelector: 'app=rec' });
    let mixed = false;
    const check = () => {
      const imgs = new Set(inf.list().filter((p) => p.status?.phase === 'Running').map((p) => p.spec!.containers[0].image));
      if (imgs.size > 1) mixed = true;
    };
    inf.addHandler({ add: check, update: check, delete: check });
    const stop = inf.start();
    await inf.hasSynced;
    expect((await c.kubectl(['set', 'image', 'deployment/rec', 'web=app:2'])).code).toBe(0);
    expect((await c.kubectl(['rollout', 'status', 'deployment/rec', '--timeout=60s'], { timeoutMs: 90_000 })).code).toBe(0);
    await waitFor(async () => {
      const l = await pods('rec');
      return l.length === 3 && l.every((p) => running(p) && p.spec!.containers[0].image === 'app:2');
    }, 'v2 running', 20_000);
    stop();
    expect(mixed).toBe(false);
  });

  it('a paused deployment does not roll, scales, and rolls when resumed; history is pruned', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('pz', 2, 'app:1', { revisionHistoryLimit: 1 }));
    await waitFor(async () => (await pods('pz')).filter(running).length === 2, 'running', 20_000);
    expect((await c.kubectl(['rollout', 'pause', 'deployment/pz'])).code).toBe(0);
    expect((await c.kubectl(['set', 'image', 'deployment/pz', 'web=app:2'])).code).toBe(0);
    await waitFor(async () => {
      const d = await c.core.client.get<Deployment & KObject>(R.deployments, 'pz', 'default');
      return d.status?.conditions?.find((x) => x.type === 'Progressing')?.reason === 'DeploymentPaused';
    }, 'paused condition', 10_000);
    expect((await rsets('pz')).length).toBe(1);
    expect((await c.kubectl(['scale', 'deployment/pz', '--replicas=3'])).code).toBe(0);
    await waitFor(async () => (await pods('pz')).filter(running).length === 3, 'scaled while paused', 20_000);
    expect((await pods('pz')).every((p) => p.spec!.containers[0].image === 'app:1')).toBe(true);
    expect((await c.kubectl(['rollout', 'resume', 'deployment/pz'])).code).toBe(0);
    expect((await c.kubectl(['rollout', 'status', 'deployment/pz', '--timeout=60s'], { timeoutMs: 90_000 })).code).toBe(0);
    expect((await c.kubectl(['set', 'image', 'deployment/pz', 'web=app:3'])).code).toBe(0);
    expect((await c.kubectl(['rollout', 'status', 'deployment/pz', '--timeout=60s'], { timeoutMs: 90_000 })).code).toBe(0);
    // revisionHistoryLimit 1: the current ReplicaSet and one old one.
    await waitFor(async () => (await rsets('pz')).length === 2, 'history pruned', 10_000);
    const hist = await c.kubectl(['rollout', 'history', 'deployment/pz']);
    expect(hist.stdout).toMatch(/\n2 .*\n3 /s);
  });
});
