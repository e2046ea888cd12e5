// Deleting a deployment removes its ReplicaSets and pods: background (kubectl's default),
// foreground (--cascade=foreground) and orphan (--cascade=orphan) propagation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../../main/api/types';
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

async function count(app: string): Promise<{ rs: number; pods: number }> {
  const rs = await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` });
  const pods = await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` });
  return { rs: rs.items.length, pods: pods.items.length };
}

async function deploy(name: string): Promise<void> {
  const file = path.join(c.dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(deploymentManifest(name, 4)));
  expect((await c.kubectl('apply', '-f', file)).code).toBe(0);
  await eventually(async () => {
    const n = await count(name);
    return n.rs === 1 && n.pods === 4;
  }, 20_000, `${name} up`);
  await c.kubectl('rollout', 'status', `deployment/${name}`, '--timeout=30s');
}

describe('garbage collector', () => {
  it('deletes ReplicaSets and pods in the background', async () => {
    await deploy('bg');
    const r = await c.kubectl('delete', 'deployment', 'bg');
    expect(r.code).toBe(0);
    await eventually(async () => {
      const n = await count('bg');
      return n.rs === 0 && n.pods === 0;
    }, 20_000, 'bg dependents gone');
  });

  it('deletes in the foreground: the deployment stays until its dependents are gone', async () => {
    await deploy('fg');
    const r = await c.kubectl('delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false');
    expect(r.code).toBe(0);
    const d = await c.core.client.get(R.deployments, 'fg', 'default').catch(() => undefined);
    if (d) expect(d.metadata?.finalizers).toContain('foregroundDeletion');
    await eventually(async () => {
      const n = await count('fg');
      const gone = await c.core.client.get(R.deployments, 'fg', 'default').then(() => false, () => true);
      return n.rs === 0 && n.pods === 0 && gone;
    }, 20_000, 'fg gone');
  });

  it('orphans: dependents lose their ownerReference and stay', async () => {
    await deploy('orph');
    const r = await c.kubectl('delete', 'deployment', 'orph', '--cascade=orphan');
    expect(r.code).toBe(0);
    const rs = await eventually(async () => {
      const l = (await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: 'app=orph' })).items as unknown as ReplicaSet[];
      return l.length === 1 && !l[0].metadata?.ownerReferences?.length ? l[0] : undefined;
    }, 20_000, 'orphaned rs');
    expect((await count('orph')).pods).toBe(4);
    await c.core.client.delete(R.replicasets, rs.metadata!.name!, { namespace: 'default' });
    await eventually(async () => (await count('orph')).pods === 0, 20_000, 'orphan pods gone with their rs');
  });
});
