// Deleting a namespace deletes everything in it (custom resources included), shows what remains in its conditions
// while it waits (by resource and by finalizer, as the namespace deleter), then finalizes and removes the namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

interface Condition { type: string; status: string; reason: string; message: string }

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

  it('deletes custom resources too, and says what remains while a finalizer holds an object', async () => {
    await defineCrd(c, crdManifest({ group: 'ns.example.com', plural: 'gadgets', kind: 'Gadget' }, storedVersion(PRESERVE_UNKNOWN_FIELDS)), 'gadgets.ns.example.com');
    await c.kubectlOk(['create', 'namespace', 'lab']);
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: ns.example.com/v1
kind: Gadget
metadata: {name: g1, namespace: lab}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: held, namespace: lab, finalizers: [example.com/hold]}
` });
    await c.kubectlOk(['delete', 'namespace', 'lab', '--wait=false']);
    const conditions = async () => JSON.parse((await c.kubectlOk(['get', 'namespace', 'lab', '-o', 'jsonpath={.status.conditions}'])) || '[]') as Condition[];
    const cond = async (type: string) => (await conditions()).find((x) => x.type === type);
    await waitFor(async () => (await cond('NamespaceFinalizersRemaining'))?.status === 'True', 'FinalizersRemaining True', 20_000);
    expect(await cond('NamespaceContentRemaining')).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances' });
    expect(await cond('NamespaceFinalizersRemaining')).toMatchObject({ reason: 'SomeFinalizerRemain', message: 'Some finalizers are remaining: example.com/hold in 1 resource instances' });
    expect(await cond('NamespaceDeletionContentFailure')).toMatchObject({ status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' });
    expect(await cond('NamespaceDeletionDiscoveryFailure')).toMatchObject({ status: 'False', reason: 'ResourcesDiscovered' });
    expect((await c.kubectlOk(['get', 'gadgets', '-n', 'lab', '-o', 'name'])).trim()).toBe('');
    expect(await c.kubectlOk(['get', 'namespace', 'lab', '-o', 'jsonpath={.status.phase}'])).toBe('Terminating');

    await c.kubectlOk(['patch', 'configmap', 'held', '-n', 'lab', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await waitFor(async () => (await c.kubectl(['get', 'namespace', 'lab'])).code !== 0, 'the namespace gone', 20_000);
    await c.kubectlOk(['delete', 'crd', 'gadgets.ns.example.com']);
  });
});
