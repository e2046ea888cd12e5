// Deleting a deployment removes its ReplicaSets and pods: background (kubectl's default),
// foreground (--cascade=foreground) and orphan (--cascade=orphan) propagation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../../main/api/types';
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

async function count(app: string): Promise<{ rs: number; pods: number }> {
  const rs = await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` });
  const pods = await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` });
  return { rs: rs.items.length, pods: pods.items.length };
}

async function deploy(name: string): Promise<void> {
  const file = path.join(c.dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(deploymentManifest(name, 4)));
  expect((await c.kubectl(['apply', '-f', file])).code).toBe(0);
  await waitFor(async () => {
    const n = await count(name);
    return n.rs === 1 && n.pods === 4;
  }, `${name} up`, 20_000);
  await c.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=30s']);
}

describe('garbage collector', () => {
  it('deletes ReplicaSets and pods in the background', async () => {
    await deploy('bg');
    const r = await c.kubectl(['delete', 'deployment', 'bg']);
    expect(r.code).toBe(0);
    await waitFor(async () => {
      const n = await count('bg');
      return n.rs === 0 && n.pods === 0;
    }, 'bg dependents gone', 20_000);
  });

  it('deletes in the foreground: the deployment stays until its dependents are gone', async () => {
    await deploy('fg');
    const r = await c.kubectl(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false']);
    expect(r.code).toBe(0);
    const d = await c.core.client.get(R.deployments, 'fg', 'default').catch(() => undefined);
    if (d) expect(d.metadata?.finalizers).toContain('foregroundDeletion');
    await waitFor(async () => {
      const n = await count('fg');
      const gone = await c.core.client.get(R.deployments, 'fg', 'default').then(() => false, () => true);
      return n.rs === 0 && n.pods === 0 && gone;
    }, 'fg gone', 20_000);
  });

  it('orphans: dependents lose their ownerReference and stay', async () => {
    await deploy('orph');
    const r = await c.kubectl(['delete', 'deployment', 'orph', '--cascade=orphan']);
    expect(r.code).toBe(0);
    const rs = await waitFor(async () => {
      const l = (await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: 'app=orph' })).items as unknown as ReplicaSet[];
      return l.length === 1 && !l[0].metadata?.ownerReferences?.length ? l[0] : undefined;
    }, 'orphaned rs', 20_000);
    expect((await count('orph')).pods).toBe(4);
    await c.core.client.delete(R.replicasets, rs.metadata!.name!, { namespace: 'default' });
    await waitFor(async () => (await count('orph')).pods === 0, 'orphan pods gone with their rs', 20_000);
  });
});
