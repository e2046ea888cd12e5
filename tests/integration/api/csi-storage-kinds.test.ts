// storage.k8s.io/v1 VolumeAttachments and CSIStorageCapacities, as a CSI driver's external-attacher and
// external-provisioner write them, with real kubectl: kubectl's columns, the zero status Go writes, status through its
// subresource, the immutable fields, and Kubernetes' validation messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

const attachment = (name: string, spec: string) => `apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata: {name: ${name}}
spec: ${spec}
`;

describe('VolumeAttachments', () => {
  it('are written and read as an attacher does, with kubectl\'s columns and the spec immutable', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: attachment('csi-123', '{attacher: hostpath.csi.k8s.io, nodeName: node-1, source: {persistentVolumeName: pv-1}}') });
    const created = JSON.parse(await c.kubectlOk(['get', 'volumeattachment', 'csi-123', '-o', 'json'])) as { status: unknown };
    expect(created.status).toEqual({ attached: false });
    const table = await c.kubectlOk(['get', 'volumeattachments']);
    expect(table).toMatch(/^NAME\s+ATTACHER\s+PV\s+NODE\s+ATTACHED\s+AGE\ncsi-123\s+hostpath\.csi\.k8s\.io\s+pv-1\s+node-1\s+false\s+\d+s\n$/);
    await c.kubectlOk(['patch', 'volumeattachment', 'csi-123', '--subresource=status', '--type=merge', '-p', '{"status":{"attached":true,"attachmentMetadata":{"devicePath":"/dev/sdb"}}}']);
    expect(await c.kubectlOk(['get', 'volumeattachment', 'csi-123', '--no-headers'])).toMatch(/\strue\s+\d+s\n$/);
    const moved = await c.kubectl(['patch', 'volumeattachment', 'csi-123', '--type=merge', '-p', '{"spec":{"nodeName":"node-2"}}']);
    expect(moved.stderr).toContain('spec: Invalid value: ');
    expect(moved.stderr).toContain('field is immutable');
  });

  it('refuses what Kubernetes refuses, in its words', async () => {
    const none = await c.kubectl(['create', '-f', '-'], { input: attachment('bad', '{attacher: "", nodeName: "Node_1", source: {}}') });
    expect(none.stderr).toContain('The VolumeAttachment "bad" is invalid: ');
    expect(none.stderr).toContain('spec.attacher: Required value');
    expect(none.stderr).toContain('spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName');
    expect(none.stderr).toContain('spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of');
    const both = await c.kubectl(['create', '-f', '-'], { input: attachment('both', '{attacher: "Bad Driver", nodeName: node-x, source: {persistentVolumeName: pv, inlineVolumeSpec: {csi: {driver: d, volumeHandle: h}}}}') });
    expect(both.stderr).toContain('spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName');
    expect(both.stderr).toContain('spec.attacher: Invalid value: "Bad Driver": a lowercase RFC 1123 subdomain');
  });
});

describe('CSIStorageCapacities', () => {
  it('are written as an external-provisioner does, with kubectl\'s columns and their inputs immutable', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: `apiVersion: storage.k8s.io/v1
kind: CSIStorageCapacity
metadata: {name: csisc-abc, namespace: default}
storageClassName: fast
nodeTopology: {matchLabels: {topology.hostpath.csi/node: node-1}}
capacity: 10Gi
` });
    expect(await c.kubectlOk(['get', 'csistoragecapacities'])).toMatch(/^NAME\s+STORAGECLASSNAME\s+CAPACITY\ncsisc-abc\s+fast\s+10Gi\n$/);
    const moved = await c.kubectl(['patch', 'csistoragecapacity', 'csisc-abc', '--type=merge', '-p', '{"storageClassName":"slow"}']);
    expect(moved.stderr).toContain('storageClassName: Invalid value: "slow": field is immutable');
    await c.kubectlOk(['patch', 'csistoragecapacity', 'csisc-abc', '--type=merge', '-p', '{"capacity":"5Gi"}']);
    const bad = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: storage.k8s.io/v1
kind: CSIStorageCapacity
metadata: {name: bad, namespace: default}
storageClassName: Fast_Class
capacity: "-1"
` });
    expect(bad.stderr).toContain('storageClassName: Invalid value: "Fast_Class": a lowercase RFC 1123 subdomain');
    expect(bad.stderr).toContain('capacity: Invalid value: "-1": must be greater than or equal to 0');
  });
});
