// The ReplicaSet controller alone on an in-process control plane: the test plays the scheduler
// and the kubelet (binding pods, reporting them Running/Ready) and asserts on the pods and status
// the controller writes.
import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { replicaSetManifest } from '../../helpers/manifests';
import { registerNode, runPod, setPodReady } from '../../helpers/node-standin';

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const POD = { apiVersion: 'v1', kind: 'Pod' };

const cp = controlPlaneEach('replicaset', {}, (plane) => registerNode(plane, 'n1'));

const pods = (app: string) => cp.list<Pod>(POD, 'default', `app=${app}`);
const live = async (app: string) => (await pods(app)).filter((p) => !p.metadata?.deletionTimestamp);
const rs = (name: string) => cp.get<ReplicaSet>(RS, name, 'default');

const scale = (name: string, replicas: number) => cp.patch(RS, name, 'default', { spec: { replicas } });

describe('replicaset controller', () => {
  it('creates spec.replicas pods from the template, controlled by the ReplicaSet, and reports status', async () => {
    const created = await cp.create(replicaSetManifest('web', 3));
    const ps = await cp.waitFor(async () => { const l = await pods('web'); return l.length === 3 ? l : undefined; }, '3 pods');
    for (const p of ps) {
      expect(p.metadata?.generateName).toBe('web-');
      expect(p.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata?.labels).toEqual({ app: 'web' });
      expect(p.spec?.containers[0].image).toBe('app:1');
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const st = await cp.waitFor(async () => { const r = await rs('web'); return r.status?.replicas === 3 ? r.status : undefined; }, 'status.replicas 3');
    expect(st).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    // No pod ready yet: the zero counts are left out (omitempty), as kube stores them; `replicas` has no omitempty.
    expect(st).not.toHaveProperty('readyReplicas');
    expect(st).not.toHaveProperty('availableReplicas');
    const events = await cp.waitFor(async () => { const e = await cp.events('web', 'default'); return e.length === 3 ? e : undefined; }, '3 events');
    expect(events.map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    expect(events[0].message).toMatch(/^Created pod: web-/);
  });

  it('counts ready and available pods, honouring minReadySeconds', async () => {
    await cp.create(replicaSetManifest('web', 2, { minReadySeconds: 3 }));
    const [a, b] = await cp.waitFor(async () => { const l = await pods('web'); return l.length === 2 ? l : undefined; }, '2 pods');
    // Conditions carry whole seconds, so the pod counts as ready from the start of this second.
    const readySince = Math.floor(Date.now() / 1000) * 1000;
    await runPod(cp, a, 'n1', true, new Date(readySince));
    await runPod(cp, b, 'n1', false);
    const st = await cp.waitFor(async () => { const r = await rs('web'); return r.status?.readyReplicas === 1 ? r.status : undefined; }, 'one ready');
    // A status read back before minReadySeconds have passed was computed before then too: not yet available.
    if (Date.now() < readySince + 3_000) expect(st.availableReplicas).toBeUndefined(); // 0: omitempty
    const available = await cp.waitFor(async () => ((await rs('web')).status?.availableReplicas === 1 ? Date.now() : undefined), 'available after minReadySeconds', 10_000);
    expect(available).toBeGreaterThanOrEqual(readySince + 3_000);
    await setPodReady(cp, b, true);
    await cp.waitFor(async () => { const s = (await rs('web')).status; return s?.readyReplicas === 2; }, 'both ready');
  });

  it('replaces a pod that is deleted, and one that failed', async () => {
    await cp.create(replicaSetManifest('web', 2));
    const [a, b] = await cp.waitFor(async () => { const l = await pods('web'); return l.length === 2 ? l : undefined; }, '2 pods');
    await cp.delete(POD, a.metadata!.name!, { namespace: 'default' });
    await cp.waitFor(async () => { const l = await live('web'); return l.length === 2 && !l.some((p) => p.metadata?.name === a.metadata?.name); }, 'replacement for the deleted pod');
    await runPod(cp, b, 'n1', true);
    await cp.patchStatus(POD, b.metadata!.name!, 'default', { phase: 'Failed' });
    const l = await cp.waitFor(async () => { const x = await live('web'); return x.filter((p) => p.status?.phase !== 'Failed').length === 2 ? x : undefined; }, 'replacement for the failed pod');
    expect(l.find((p) => p.metadata?.name === b.metadata?.name)?.status?.phase).toBe('Failed'); // kept, for its logs
    // status counts the active pods only (controller.FilterActivePods)
    await cp.waitFor(async () => (await rs('web')).status?.replicas === 2, 'status.replicas counts active pods');
  });

  it('scales down unassigned, then not-ready, then newest pods first', async () => {
    await cp.create(replicaSetManifest('web', 4));
    const ps = await cp.waitFor(async () => { const l = await pods('web'); return l.length === 4 ? l : undefined; }, '4 pods');
    const [unassigned, notReady, readyOld, readyNew] = ps;
    await runPod(cp, notReady, 'n1', false);
    await runPod(cp, readyOld, 'n1', true, new Date(Date.now() - 3600_000));
    await runPod(cp, readyNew, 'n1', true); // ready for less time: goes first
    await cp.waitFor(async () => (await rs('web')).status?.readyReplicas === 2, 'two ready');

    await scale('web', 3);
    await cp.waitFor(async () => !(await cp.find(POD, unassigned.metadata!.name!, 'default')), 'the unassigned pod deleted');
    expect((await live('web')).map((p) => p.metadata!.name!).sort()).toEqual([notReady, readyOld, readyNew].map((p) => p.metadata!.name!).sort());

    await scale('web', 2);
    await cp.waitFor(async () => (await cp.get<Pod>(POD, notReady.metadata!.name!, 'default')).metadata?.deletionTimestamp, 'the not-ready pod terminating');
    await scale('web', 1);
    await cp.waitFor(async () => (await cp.get<Pod>(POD, readyNew.metadata!.name!, 'default')).metadata?.deletionTimestamp, 'the newer ready pod terminating');
    expect((await live('web')).map((p) => p.metadata!.name!)).toEqual([readyOld.metadata!.name!]);
    // The event follows the delete: wait for it rather than read at once.
    const deletes = async () => (await cp.events('web', 'default')).filter((e) => e.reason === 'SuccessfulDelete').length;
    await cp.waitFor(async () => (await deletes()) >= 3, 'three SuccessfulDelete events');
    expect(await deletes()).toBe(3);
  });

  it('never creates more pods than asked while its cache catches up (expectations)', async () => {
    const added = cp.record<Pod>(POD, 'default');
    await cp.create(replicaSetManifest('web', 30));
    // A burst of updates, each syncing the ReplicaSet while the creates are still arriving.
    for (let i = 0; i < 10; i++) await cp.patch(RS, 'web', 'default', { metadata: { annotations: { touch: String(i) } } });
    await cp.waitFor(async () => (await rs('web')).status?.replicas === 30, 'status.replicas 30');
    expect(await pods('web')).toHaveLength(30);
    expect(added.filter((e) => e.type === 'ADDED')).toHaveLength(30);
    expect(added.filter((e) => e.type === 'DELETED')).toHaveLength(0);
  });

  it('leaves pods alone while the ReplicaSet is being deleted', async () => {
    await cp.create({ ...replicaSetManifest('web', 2), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/hold'] } });
    await cp.waitFor(async () => (await pods('web')).length === 2, '2 pods');
    await cp.delete(RS, 'web', { namespace: 'default' });
    // Scaling the terminating ReplicaSet is observed (observedGeneration) but creates nothing.
    await scale('web', 4);
    await cp.waitFor(async () => (await rs('web')).status?.observedGeneration === 2, 'generation 2 observed');
    expect(await pods('web')).toHaveLength(2);
    const [a] = await pods('web');
    await cp.delete(POD, a.metadata!.name!, { namespace: 'default' });
    await cp.waitFor(async () => (await rs('web')).status?.replicas === 1, 'status follows the pods');
    expect(await pods('web')).toHaveLength(1);
  });
});
