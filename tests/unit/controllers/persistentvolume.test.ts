// The PersistentVolume controller (binder and reclaimer) alone on an in-process control plane: claims of a
// WaitForFirstConsumer class wait for the scheduler's selected-node and then get a node-local volume
// provisioned and bound; claims of an Immediate class bind to the smallest available volume that fits;
// a volume whose claim is gone is Released and reclaimed by its policy; a bound claim's size raise expands
// its local volume; access modes a node-local directory cannot give are refused with a clear event.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../main/api/types';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
  LOCAL_PROVISIONER, LOCAL_VOLUME_FINALIZER, LOCAL_VOLUMES_DIR,
} from '../../../main/api/storage';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode } from '../../helpers/node-standin';

const PV = { apiVersion: 'v1', kind: 'PersistentVolume' };
const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };

const cp = controlPlaneEach('persistentvolume-binder', {}, async (plane) => {
  await plane.startController('persistentvolume-reclaimer');
  await plane.create<StorageClass>({
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' },
    provisioner: LOCAL_PROVISIONER, volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete', allowVolumeExpansion: true,
  });
  await plane.create<StorageClass>({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner' });
});

function claim(name: string, cls: string, size = '1Gi', extra: Partial<PersistentVolumeClaim['spec']> = {}, annotations?: Record<string, string>): Promise<PersistentVolumeClaim> {
  return cp.create<PersistentVolumeClaim>({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: cls, resources: { requests: { storage: size } }, ...extra },
  });
}

function staticVolume(name: string, size: string, policy = 'Retain'): Promise<PersistentVolume> {
  return cp.create<PersistentVolume>({
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: policy, hostPath: { path: `/tmp/${name}` } },
  });
}

const bound = (name: string) => cp.waitFor(async () => {
  const c = await cp.get<PersistentVolumeClaim>(PVC, name, 'default');
  return c.status?.phase === 'Bound' ? c : undefined;
}, `claim ${name} Bound`);

describe('PersistentVolume controller', () => {
  it('waits for the first consumer, then provisions a node-local volume on the selected node and binds it', async () => {
    const c = await claim('data', 'local');
    await cp.waitFor(async () => (await cp.events('data', 'default')).some((e) => e.reason === 'WaitForFirstConsumer'), 'WaitForFirstConsumer event');
    expect((await cp.get<PersistentVolumeClaim>(PVC, 'data', 'default')).status?.phase).toBe('Pending');
    await cp.patch(PVC, 'data', 'default', { metadata: { annotations: { [ANN_SELECTED_NODE]: 'node-a' } } });
    const b = await bound('data');
    const pvName = `pvc-${c.metadata!.uid!}`;
    expect(b.spec?.volumeName).toBe(pvName);
    expect(b.status?.capacity).toEqual({ storage: '1Gi' });
    expect(b.status?.accessModes).toEqual(['ReadWriteOnce']);
    expect(b.metadata?.annotations?.[ANN_BIND_COMPLETED]).toBe('yes');
    // The provisioner's annotations, written with the binding rather than on their own.
    expect(b.metadata?.annotations?.[ANN_STORAGE_PROVISIONER]).toBe(LOCAL_PROVISIONER);
    expect(b.metadata?.annotations?.[ANN_BETA_STORAGE_PROVISIONER]).toBe(LOCAL_PROVISIONER);
    expect(b.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER]).toBe('yes');
    const pv = await cp.waitFor(async () => {
      const v = await cp.get<PersistentVolume>(PV, pvName);
      return v.status?.phase === 'Bound' ? v : undefined;
    }, 'volume Bound');
    expect(pv.metadata?.annotations?.[ANN_PROVISIONED_BY]).toBe(LOCAL_PROVISIONER);
    expect(pv.spec?.local?.path).toBe(`${LOCAL_VOLUMES_DIR}/${pvName}`);
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec?.claimRef).toMatchObject({ namespace: 'default', name: 'data', uid: c.metadata!.uid });
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }]);
    const events = await cp.eventsIncluding('data', 'default', ['ProvisioningSucceeded', 'ExternalProvisioning', 'Provisioning']);
    expect(events).toContainEqual(expect.objectContaining({ reason: 'ProvisioningSucceeded', message: `Successfully provisioned volume ${pvName}` }));
  });

  it('binds an Immediate claim to the smallest available volume that fits; the volume is Released and retained when the claim goes', async () => {
    await staticVolume('big', '10Gi');
    await staticVolume('small', '2Gi');
    await staticVolume('tiny', '512Mi');
    await cp.waitFor(async () => (await cp.get<PersistentVolume>(PV, 'tiny')).status?.phase === 'Available', 'volumes Available');
    const b = await claim('web', 'manual', '1Gi').then(() => bound('web'));
    expect(b.spec?.volumeName).toBe('small');
    expect(b.status?.capacity).toEqual({ storage: '2Gi' });
    await cp.delete(PVC, 'web', { namespace: 'default' });
    const released = await cp.waitFor(async () => {
      const v = await cp.get<PersistentVolume>(PV, 'small');
      return v.status?.phase === 'Released' ? v : undefined;
    }, 'volume Released');
    expect(released.spec?.claimRef?.name).toBe('web');
    expect(released.status?.lastPhaseTransitionTime).toMatch(/Z$/);
    // A new claim does not take a Released volume.
    expect((await claim('web2', 'manual', '1Gi').then(() => bound('web2'))).spec?.volumeName).toBe('big');
  });

  it('deletes a provisioned volume whose claim is gone (Delete), lets it go when its node is deleted; a static one it cannot delete is Failed', async () => {
    await registerNode(cp, 'node-a');
    const c = await claim('scratch', 'local', '1Gi', {}, { [ANN_SELECTED_NODE]: 'node-a' });
    await bound('scratch');
    await staticVolume('static-del', '1Gi', 'Delete');
    await claim('other', 'manual').then(() => bound('other'));
    await cp.delete(PVC, 'scratch', { namespace: 'default' });
    await cp.delete(PVC, 'other', { namespace: 'default' });
    // The provisioned volume is being deleted (its node's agent removes the directory, then its finalizer).
    await cp.waitFor(async () => (await cp.get<PersistentVolume>(PV, `pvc-${c.metadata!.uid!}`)).metadata?.deletionTimestamp, 'provisioned volume deleted');
    const failed = await cp.waitFor(async () => {
      const v = await cp.get<PersistentVolume>(PV, 'static-del');
      return v.status?.phase === 'Failed' ? v : undefined;
    }, 'static volume Failed');
    expect(failed.status?.message).toBe('error getting deleter volume plugin for volume "static-del": no deletable volume plugin matched');
    // No agent of node-a runs here: the volume waits for one while the node exists, and goes with the node.
    const pvName = `pvc-${c.metadata!.uid!}`;
    expect((await cp.get<PersistentVolume>(PV, pvName)).metadata?.finalizers).toContain(LOCAL_VOLUME_FINALIZER);
    await cp.delete({ apiVersion: 'v1', kind: 'Node' }, 'node-a');
    // (pv-protection, another controller's finalizer, is all that is left then.)
    await cp.waitFor(async () => {
      const v = (await cp.list<PersistentVolume>(PV)).find((x) => x.metadata?.name === pvName);
      return !v?.metadata?.finalizers?.includes(LOCAL_VOLUME_FINALIZER);
    }, 'volume of the deleted node let go');
    const events = await cp.waitFor(async () => { const e = await cp.events(pvName); return e.length ? e : undefined; }, 'event');
    expect(events.find((e) => e.reason === 'VolumeNodeGone')).toMatchObject({
      type: 'Warning', message: 'node "node-a" is gone: its local volume\'s directory cannot be removed, the volume is let go',
    });
  });

  it('expands a bound local volume when its claim asks for more and the class allows it', async () => {
    const c = await claim('grow', 'local', '1Gi', {}, { [ANN_SELECTED_NODE]: 'node-a' });
    await bound('grow');
    await cp.patch(PVC, 'grow', 'default', { spec: { resources: { requests: { storage: '3Gi' } } } });
    await cp.waitFor(async () => (await cp.get<PersistentVolumeClaim>(PVC, 'grow', 'default')).status?.capacity?.storage === '3Gi', 'claim capacity 3Gi');
    expect((await cp.get<PersistentVolume>(PV, `pvc-${c.metadata!.uid!}`)).spec?.capacity?.storage).toBe('3Gi');
  });

  it('refuses ReadWriteMany on the node-local provisioner with a clear event; the claim stays Pending', async () => {
    await claim('shared', 'local', '1Gi', { accessModes: ['ReadWriteMany'] });
    const events = await cp.waitFor(async () => {
      const e = await cp.events('shared', 'default');
      return e.some((x) => x.reason === 'ProvisioningFailed') ? e : undefined;
    }, 'ProvisioningFailed event');
    expect(events.find((x) => x.reason === 'ProvisioningFailed')?.message).toContain('access modes ReadWriteMany and ReadOnlyMany are not supported');
    expect((await cp.get<PersistentVolumeClaim>(PVC, 'shared', 'default')).status?.phase).toBe('Pending');
  });

  it('marks a bound claim Lost when its volume is gone', async () => {
    await staticVolume('gone', '1Gi');
    await claim('orphan', 'manual').then(() => bound('orphan'));
    await cp.delete(PV, 'gone');
    await cp.waitFor(async () => (await cp.get<PersistentVolumeClaim>(PVC, 'orphan', 'default')).status?.phase === 'Lost', 'claim Lost');
    await cp.eventsIncluding('orphan', 'default', ['ClaimLost']);
  });
});
