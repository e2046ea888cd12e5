// The garbage collector alone on an in-process control plane, over ConfigMaps owning ConfigMaps
// and Secrets: background, foreground and orphan deletion, and owners that do not exist; then owners of
// every other kind it must watch — a Job's pods, a StatefulSet's ControllerRevisions — which it once did not
// (custom resources: tests/integration/controllers/garbage-collection.test.ts, with the whole control plane).
import { describe, expect, it } from 'vitest';
import type { KObject, OwnerReference } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { statefulSetManifest } from '../../helpers/manifests';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const SECRET = { apiVersion: 'v1', kind: 'Secret' };
const HOLD = 'example.com/hold';

const cp = controlPlaneEach('garbage-collector');

const JOB = { apiVersion: 'batch/v1', kind: 'Job' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const STS = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const REVISION = { apiVersion: 'apps/v1', kind: 'ControllerRevision' };

const podSpec = { restartPolicy: 'Never', containers: [{ name: 'c', image: 'flotilla/hello:1' }] };
const job = (name: string) => cp.create<KObject>({ ...JOB, metadata: { name, namespace: 'default' }, spec: { template: { spec: podSpec } } });
const pod = (name: string, owners: OwnerReference[], finalizers?: string[]) =>
  cp.create<KObject>({ ...POD, metadata: { name, namespace: 'default', ownerReferences: owners, ...(finalizers ? { finalizers } : {}) }, spec: podSpec });

const refTo = (o: KObject, extra: Partial<OwnerReference> = {}): OwnerReference =>
  ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata!.name!, uid: o.metadata!.uid!, ...extra });
const configMap = (name: string, owners: OwnerReference[] = [], finalizers?: string[]) =>
  cp.create<KObject>({ ...CM, metadata: { name, namespace: 'default', ownerReferences: owners, ...(finalizers ? { finalizers } : {}) }, data: { k: name } });
const find = (name: string, like = CM) => cp.find<KObject>(like, name, 'default');
const gone = async (name: string, like = CM) => !(await find(name, like));
const release = (name: string) => cp.patch(CM, name, 'default', { metadata: { finalizers: null } });

describe('garbage collector', () => {
  it('deletes the dependents of a deleted owner (background)', async () => {
    const owner = await configMap('owner');
    await configMap('dep-1', [refTo(owner)]);
    await cp.create<KObject>({ ...SECRET, metadata: { name: 'dep-2', namespace: 'default', ownerReferences: [refTo(owner)] }, stringData: { a: 'b' } });
    await configMap('bystander');
    await cp.delete(CM, 'owner', { namespace: 'default' });
    await cp.waitFor(async () => (await gone('dep-1')) && (await gone('dep-2', SECRET)), 'dependents deleted');
    expect(await find('bystander')).toBeTruthy();
  });

  it('deletes a dependent whose owner never existed, and keeps one with a live owner', async () => {
    const owner = await configMap('owner');
    await configMap('ghost', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: '00000000-0000-0000-0000-000000000000' }]);
    await configMap('kept', [refTo(owner)]);
    await cp.waitFor(() => gone('ghost'), 'dependent of a missing owner deleted');
    expect(await find('kept')).toBeTruthy();
  });

  it('keeps a dependent while one owner remains, dropping the reference to the owner that went', async () => {
    const a = await configMap('owner-a');
    const b = await configMap('owner-b');
    await configMap('shared', [refTo(a), refTo(b)]);
    await cp.delete(CM, 'owner-a', { namespace: 'default' });
    const dep = await cp.waitFor(async () => { const d = await find('shared'); return d?.metadata?.ownerReferences?.length === 1 ? d : undefined; }, 'dangling reference removed');
    expect(dep.metadata?.ownerReferences?.[0].uid).toBe(b.metadata!.uid);
    await cp.delete(CM, 'owner-b', { namespace: 'default' });
    await cp.waitFor(() => gone('shared'), 'deleted with its last owner');
  });

  it('foreground: the owner stays, with the foregroundDeletion finalizer, until its blocking dependents are gone', async () => {
    const owner = await configMap('owner');
    await configMap('blocker', [refTo(owner, { blockOwnerDeletion: true })], [HOLD]);
    await configMap('other', [refTo(owner)]);
    await cp.delete(CM, 'owner', { namespace: 'default', propagationPolicy: 'Foreground' });
    // Dependents are deleted first: the blocker is held by its own finalizer.
    const blocker = await cp.waitFor(async () => { const d = await find('blocker'); return d?.metadata?.deletionTimestamp ? d : undefined; }, 'blocker being deleted');
    expect(blocker.metadata?.finalizers).toContain(HOLD);
    await cp.waitFor(() => gone('other'), 'non-blocking dependent deleted');
    const o = await find('owner');
    expect(o?.metadata?.deletionTimestamp).toBeTruthy();
    expect(o?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await release('blocker');
    await cp.waitFor(() => gone('owner'), 'owner deleted after its blocking dependent');
  });

  it('foreground cascades: a dependent that owns others is itself deleted in the foreground', async () => {
    const top = await configMap('top');
    const mid = await configMap('mid', [refTo(top, { blockOwnerDeletion: true })]);
    await configMap('leaf', [refTo(mid, { blockOwnerDeletion: true })], [HOLD]);
    await cp.delete(CM, 'top', { namespace: 'default', propagationPolicy: 'Foreground' });
    const m = await cp.waitFor(async () => { const d = await find('mid'); return d?.metadata?.deletionTimestamp ? d : undefined; }, 'mid being deleted');
    expect(m.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect((await find('top'))?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await release('leaf');
    await cp.waitFor(async () => (await gone('top')) && (await gone('mid')) && (await gone('leaf')), 'the whole chain deleted');
  });

  it('orphan: dependents lose their reference to the owner and stay', async () => {
    const owner = await configMap('owner');
    const other = await configMap('other-owner');
    await configMap('dep', [refTo(owner)]);
    await configMap('dep-shared', [refTo(owner), refTo(other)]);
    await cp.delete(CM, 'owner', { namespace: 'default', propagationPolicy: 'Orphan' });
    await cp.waitFor(() => gone('owner'), 'owner deleted once its dependents are orphaned');
    expect((await find('dep'))?.metadata?.ownerReferences ?? []).toEqual([]);
    expect((await find('dep-shared'))?.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['other-owner']);
  });

  it('deletes a deleted Job\'s pods (background), and holds a Job deleted in the foreground until its pod is gone', async () => {
    const bg = await job('bg');
    await pod('bg-pod', [refTo(bg, { controller: true, blockOwnerDeletion: true })]);
    await cp.delete(JOB, 'bg', { namespace: 'default', propagationPolicy: 'Background' });
    await cp.waitFor(() => gone('bg-pod', POD), "the Job's pod deleted");

    const fg = await job('fg');
    await pod('fg-pod', [refTo(fg, { controller: true, blockOwnerDeletion: true })], [HOLD]);
    await cp.delete(JOB, 'fg', { namespace: 'default', propagationPolicy: 'Foreground' });
    await cp.waitFor(async () => !!(await find('fg-pod', POD))?.metadata?.deletionTimestamp, 'the pod being deleted');
    expect((await find('fg', JOB))?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await cp.patch(POD, 'fg-pod', 'default', { metadata: { finalizers: null } });
    await cp.waitFor(() => gone('fg', JOB), 'the Job deleted once its pod is gone');
  });

  it("deletes a deleted StatefulSet's ControllerRevisions", async () => {
    const sts = await cp.create<KObject>(statefulSetManifest('db', 1) as KObject);
    await cp.create<KObject>({ ...REVISION, metadata: { name: 'db-1', namespace: 'default', ownerReferences: [refTo(sts, { controller: true })] }, revision: 1, data: {} });
    await cp.delete(STS, 'db', { namespace: 'default' });
    await cp.waitFor(() => gone('db-1', REVISION), 'the revision deleted');
  });
});
