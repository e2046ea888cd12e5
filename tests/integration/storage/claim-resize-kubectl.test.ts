// Resizing a bound PersistentVolumeClaim through real kubectl, with the controllers (and so admission) on:
// PersistentVolumeClaimResize lets the request grow only when the claim's class has allowVolumeExpansion: true
// (Kubernetes' 403 otherwise), and validation lets it come back down from a failed expansion (RecoverVolumeExpansionFailure)
// but never to status.capacity or below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const volume = (name: string, cls: string) => `apiVersion: v1
kind: PersistentVolume
metadata: { name: ${name} }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: ${cls}
  hostPath: { path: /tmp/${name} }
`;
const claim = (name: string, cls: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name} }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${cls}
  resources: { requests: { storage: 1Gi } }
`;
const classes = (name: string, expand: boolean) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: ${name} }
provisioner: example.com/disk
allowVolumeExpansion: ${expand}
`;

async function phase(name: string): Promise<string> {
  return c.kubectlOk(['get', 'pvc', name, '-o', 'jsonpath={.status.phase}']);
}

const resize = (name: string, storage: string) => c.kubectl(['patch', 'pvc', name, '--type=merge', '-p', JSON.stringify({ spec: { resources: { requests: { storage } } } })]);

describe('PersistentVolumeClaim resize with kubectl', () => {
  beforeAll(async () => {
    const docs = [classes('fixed', false), classes('growing', true), volume('pv-fixed', 'fixed'), volume('pv-growing', 'growing'),
      volume('pv-manual', 'manual'), claim('fixed', 'fixed'), claim('growing', 'growing'), claim('manual', 'manual')];
    await c.kubectlOk(['apply', '-f', '-'], { input: docs.join('---\n') });
    for (const name of ['fixed', 'growing', 'manual']) await waitFor(async () => (await phase(name)) === 'Bound', `claim ${name} Bound`);
  });

  it('refuses to grow a claim whose class does not allow expansion, or that has no class object, with Kubernetes\' 403', async () => {
    for (const name of ['fixed', 'manual']) {
      const r = await resize(name, '2Gi');
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toBe(`Error from server (Forbidden): persistentvolumeclaims "${name}" is forbidden: `
        + 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
      expect(await c.kubectlOk(['get', 'pvc', name, '-o', 'jsonpath={.spec.resources.requests.storage}'])).toBe('1Gi');
    }
  });

  it('grows a claim of a class with allowVolumeExpansion, and lets it come back down only above status.capacity', async () => {
    await c.kubectlOk(['patch', 'pvc', 'growing', '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}']);
    // Nothing expands example.com/disk: the capacity stays 1Gi, as after a failed expansion.
    expect(await c.kubectlOk(['get', 'pvc', 'growing', '-o', 'jsonpath={.spec.resources.requests.storage} {.status.capacity.storage}'])).toBe('3Gi 1Gi');
    for (const storage of ['1Gi', '512Mi']) {
      const r = await resize('growing', storage);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toBe('The PersistentVolumeClaim "growing" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
    }
    const ok = await resize('growing', '2Gi');
    expect(ok.stderr).toBe('');
    expect(await c.kubectlOk(['get', 'pvc', 'growing', '-o', 'jsonpath={.spec.resources.requests.storage}'])).toBe('2Gi');
  });

  it('refuses a shrink of a class without expansion by validation too (below status.capacity)', async () => {
    const r = await resize('fixed', '512Mi');
    expect(r.stderr.trim()).toBe('The PersistentVolumeClaim "fixed" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
  });
});
