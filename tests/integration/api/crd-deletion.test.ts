// Deleting a CRD with real kubectl: it is marked (customresourcecleanup finalizer, Terminating), its objects
// are deleted (those held by finalizers wait), creates are refused meanwhile, and once the last object is
// gone the definition and its resource disappear from the store and from discovery.
import { describe, expect, it } from 'vitest';
import { testClusterAll, waitFor } from '../../helpers/cluster';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

const CRD = crdManifest({ group: 'del.example.com', plural: 'drones', kind: 'Drone' }, storedVersion(PRESERVE_UNKNOWN_FIELDS));
const drone = (name: string, finalizers = '') => `apiVersion: del.example.com/v1\nkind: Drone\nmetadata:\n  name: ${name}\n  namespace: default\n${finalizers}`;

interface Condition { type: string; status: string; reason: string; message: string }

async function terminating(): Promise<Condition | undefined> {
  const out = await c.kubectlOk(['get', 'crd', 'drones.del.example.com', '-o', 'jsonpath={.status.conditions}']);
  return (JSON.parse(out || '[]') as Condition[]).find((x) => x.type === 'Terminating');
}

describe('deleting a CustomResourceDefinition', () => {
  it('deletes its objects while Terminating, refuses creates, and then disappears with its resource', async () => {
    await defineCrd(c, CRD, 'drones.del.example.com');
    await c.kubectlOk(['apply', '-f', '-'], { input: `${drone('free')}---\n${drone('held', '  finalizers: [example.com/hold]\n')}` });

    await c.kubectlOk(['delete', 'crd', 'drones.del.example.com', '--wait=false']);
    expect(await c.kubectlOk(['get', 'crd', 'drones.del.example.com', '-o', 'jsonpath={.metadata.finalizers}'])).toBe('["customresourcecleanup.apiextensions.k8s.io"]');
    await waitFor(async () => (await terminating())?.reason === 'InstanceDeletionInProgress', 'Terminating InstanceDeletionInProgress', 15_000);
    expect(await terminating()).toMatchObject({ status: 'True', message: 'CustomResource deletion is in progress' });
    await waitFor(async () => (await c.kubectlOk(['get', 'drones', '-o', 'name'])) === 'drone.del.example.com/held\n', 'the free drone to be deleted', 15_000);
    expect(await c.kubectlOk(['get', 'drone', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('');

    const refused = await c.kubectl(['create', '-f', '-'], { input: drone('late') });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('create not allowed while custom resource definition is terminating');

    await c.kubectlOk(['patch', 'drone', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await waitFor(async () => (await c.kubectl(['get', 'crd', 'drones.del.example.com'])).code !== 0, 'the CRD to be gone', 15_000);
    expect(c.core.store.list('/registry/del.example.com/drones/').items).toHaveLength(0);
    expect((await c.kubectlOk(['api-resources', '--api-group=del.example.com', '--no-headers'])).trim()).toBe('');
    const gone = await c.kubectl(['get', '--raw', '/apis/del.example.com/v1/drones']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  });
});
