// Deleting a namespace deletes everything in it, then finalizes and removes the namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('namespace controller', () => {
  it('empties and removes a namespace being deleted', async () => {
    expect((await c.kubectl(['create', 'namespace', 'shop'])).code).toBe(0);
    const d = deploymentManifest('cart', 3);
    d.metadata!.namespace = 'shop';
    await c.core.client.create(R.deployments, d, { namespace: 'shop' });
    await c.core.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: 'b' } }, { namespace: 'shop' });
    await c.core.client.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' }, spec: { selector: { app: 'cart' }, ports: [{ port: 80 }] } }, { namespace: 'shop' });
    await waitFor(async () => (await c.core.client.list(R.pods, { namespace: 'shop' })).items.filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running').length === 3, 'pods running', 20_000);

    const del = await c.kubectl(['delete', 'namespace', 'shop', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('namespace "shop" deleted');
    await waitFor(async () => (await c.core.client.get(R.namespaces, 'shop').then(() => false, () => true)), 'namespace gone', 20_000);
    for (const r of [R.pods, R.deployments, R.replicasets, R.configmaps, R.services, R.endpoints]) {
      expect((await c.core.client.list(r, { namespace: 'shop' })).items).toEqual([]);
    }
  });
});
