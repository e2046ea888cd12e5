// The storage kinds through real kubectl, without controllers: PersistentVolumes, PersistentVolumeClaims and
// StorageClasses are served (short names pv, pvc, sc), defaulted, validated with Kubernetes' messages and
// printed with Kubernetes' columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

const PV = `apiVersion: v1
kind: PersistentVolume
metadata: { name: pv-a }
spec:
  capacity: { storage: 2Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: { path: /tmp/pv-a }
`;
const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: { requests: { storage: 1Gi } }
`;
const SC = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: example.com/fast
allowVolumeExpansion: true
`;

function columns(out: string): string[] {
  return (out.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}

describe('storage kinds with kubectl', () => {
  it('creates them by short name and defaults them', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `${PV}---\n${PVC}---\n${SC}` });
    const pv = JSON.parse(await c.kubectlOk(['get', 'pv', 'pv-a', '-o', 'json'])) as { spec: Record<string, unknown>; status: Record<string, unknown> };
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(pv.spec.volumeMode).toBe('Filesystem');
    expect(pv.status.phase).toBe('Pending');
    expect(pv.status.lastPhaseTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const pvc = JSON.parse(await c.kubectlOk(['get', 'pvc', 'data', '-o', 'json'])) as { spec: Record<string, unknown>; status: Record<string, unknown> };
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    expect(pvc.status.phase).toBe('Pending');
    const sc = JSON.parse(await c.kubectlOk(['get', 'sc', 'fast', '-o', 'json'])) as Record<string, unknown>;
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(sc.volumeBindingMode).toBe('Immediate');
  });

  it('prints Kubernetes columns', async () => {
    const pv = await c.kubectlOk(['get', 'pv']);
    expect(columns(pv)).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    expect(pv).toMatch(/pv-a\s+2Gi\s+RWO\s+Retain\s+Pending\s+manual\s+<unset>\s+\d+s/);
    const pvc = await c.kubectlOk(['get', 'pvc']);
    expect(columns(pvc)).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(pvc).toMatch(/data\s+Pending\s+manual\s+<unset>\s+\d+s/);
    expect(columns(await c.kubectlOk(['get', 'pvc', '-o', 'wide'])).at(-1)).toBe('VOLUMEMODE');
    const sc = await c.kubectlOk(['get', 'sc']);
    expect(columns(sc)).toEqual(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    expect(sc).toMatch(/fast \(default\)\s+example\.com\/fast\s+Delete\s+Immediate\s+true\s+\d+s/);
  });

  it('refuses invalid objects with Kubernetes messages', async () => {
    const badPvc = PVC.replace('name: data', 'name: bad').replace('[ReadWriteOnce]', '[ReadWriteSometimes]').replace('storage: 1Gi', 'storage: "0"');
    const r1 = await c.kubectl(['create', '-f', '-'], { input: badPvc });
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toContain('PersistentVolumeClaim "bad" is invalid');
    expect(r1.stderr).toContain('spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"');
    expect(r1.stderr).toContain('spec.resources[storage]: Invalid value: "0": must be greater than zero');
    const r2 = await c.kubectl(['create', '-f', '-'], { input: PV.replace('pv-a', 'pv-b').replace('  hostPath: { path: /tmp/pv-a }\n', '') });
    expect(r2.stderr).toContain('spec: Required value: must specify a volume type');
    const r3 = await c.kubectl(['create', '-f', '-'], { input: SC.replace('fast', 'slow').replace('provisioner: example.com/fast\n', 'provisioner: x\nreclaimPolicy: Recycle\n') });
    expect(r3.stderr).toContain('reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"');
  });

  it('keeps immutable fields', async () => {
    const r = await c.kubectl(['patch', 'sc', 'fast', '--type=merge', '-p', '{"provisioner":"other.io/x"}']);
    expect(r.stderr).toContain('provisioner: Forbidden: updates to provisioner are forbidden.');
    const r2 = await c.kubectl(['patch', 'pvc', 'data', '--type=merge', '-p', '{"spec":{"accessModes":["ReadOnlyMany"]}}']);
    expect(r2.stderr).toContain('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  });
});
