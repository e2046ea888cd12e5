// The StatefulSet controller alone on an in-process control plane: the test registers a node and
// plays scheduler and kubelet (binds pods, reports them Running and Ready, finishes graceful
// deletions); it asserts on the pods, revisions and status the controller writes.
import { describe, expect, it } from 'vitest';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode, runPod } from '../../helpers/node-standin';

const STS = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const CR = { apiVersion: 'apps/v1', kind: 'ControllerRevision' };

const cp = controlPlaneEach('statefulset', {}, (c) => registerNode(c, 'n1'));

function manifest(name: string, replicas: number, spec: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
    spec: {
      replicas, serviceName: name, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
      ...spec,
    },
  };
}

const pods = async (app: string) => (await cp.list<Pod>(POD, 'default', `app=${app}`)).sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
const names = async (app: string, live = false) => (await pods(app)).filter((p) => !live || !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!);
const sts = (name: string) => cp.get<StatefulSet>(STS, name, 'default');
const pod = (name: string) => cp.get<Pod>(POD, name, 'default');
const waitNames = (app: string, want: string[], live = false) =>
  cp.waitFor(async () => JSON.stringify(await names(app, live)) === JSON.stringify(want), `pods ${want.join(',') || 'none'}`);
const runAll = async (app: string) => { for (const p of await pods(app)) if (p.status?.phase !== 'Running') await runPod(cp, p, 'n1'); };
/** The kubelet finishing a graceful deletion. */
const finish = (name: string) => cp.delete(POD, name, { namespace: 'default', gracePeriodSeconds: 0 });
const waitTerminating = (name: string) => cp.waitFor(async () => !!(await pod(name)).metadata?.deletionTimestamp, `${name} terminating`);
const waitStatus = (name: string, ok: (s: NonNullable<StatefulSet['status']>) => boolean, what: string) =>
  cp.waitFor(async () => { const s = (await sts(name)).status; return s && ok(s) ? s : undefined; }, what);

async function upAll(name: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await waitNames(name, Array.from({ length: i + 1 }, (_, k) => `${name}-${k}`));
    await runAll(name);
  }
  await waitStatus(name, (s) => s.readyReplicas === n, `${n} ready`);
}

describe('statefulset controller', () => {
  it('creates ordinals in order, each once the one below is Running and Ready, with stable identities', async () => {
    const created = await cp.create(manifest('web', 3));
    await waitNames('web', ['web-0']);
    const p0 = await pod('web-0');
    expect(p0.spec?.hostname).toBe('web-0');
    expect(p0.spec?.subdomain).toBe('web');
    const hash = p0.metadata?.labels?.['controller-revision-hash'];
    expect(hash).toMatch(/^web-[a-z0-9]+$/);
    expect(p0.metadata?.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(p0.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    await runPod(cp, p0, 'n1', false); // running, not ready: web-1 must wait
    await waitStatus('web', (s) => s.replicas === 1, 'replicas 1');
    expect(await names('web')).toEqual(['web-0']);
    await runPod(cp, await pod('web-0'), 'n1', true);
    await waitNames('web', ['web-0', 'web-1']);
    await runAll('web');
    await waitNames('web', ['web-0', 'web-1', 'web-2']);
    await runAll('web');
    const st = await waitStatus('web', (s) => s.readyReplicas === 3, 'ready 3');
    expect(st).toMatchObject({ replicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect([st.currentRevision, st.updateRevision]).toEqual([hash, hash]);
    const revs = await cp.list<ControllerRevision>(CR, 'default');
    expect(revs.map((r) => [r.metadata?.name, r.revision])).toEqual([[hash, 1]]);
    expect(revs[0].metadata?.labels).toMatchObject({ app: 'web', 'controller-revision-hash': hash!.slice('web-'.length) });
    await cp.eventsIncluding('web', 'default', ['create Pod web-0 in StatefulSet web successful'], (e) => e.message ?? '');
  });

  it('creates all ordinals at once with Parallel pod management', async () => {
    await cp.create(manifest('par', 3, { podManagementPolicy: 'Parallel' }));
    await waitNames('par', ['par-0', 'par-1', 'par-2']);
  });

  it('numbers replicas from spec.ordinals.start, in order, with the pod index label; moving the start replaces the lowest', async () => {
    await cp.create(manifest('tail', 2, { ordinals: { start: 3 } }));
    await waitNames('tail', ['tail-3']);
    expect((await pod('tail-3')).metadata?.labels?.['apps.kubernetes.io/pod-index']).toBe('3');
    await runAll('tail');
    await waitNames('tail', ['tail-3', 'tail-4']);
    await runAll('tail');
    await waitStatus('tail', (s) => s.readyReplicas === 2, '2 ready');
    await cp.patch(STS, 'tail', 'default', { spec: { ordinals: { start: 4 } } });
    await waitNames('tail', ['tail-3', 'tail-4', 'tail-5']);
    await runAll('tail');
    await waitTerminating('tail-3');
    await finish('tail-3');
    await waitNames('tail', ['tail-4', 'tail-5']);
  });

  it('scales down from the highest ordinal, one pod at a time', async () => {
    await cp.create(manifest('web', 3));
    await upAll('web', 3);
    await cp.patch(STS, 'web', 'default', { spec: { replicas: 1 } });
    await waitTerminating('web-2');
    expect((await pod('web-1')).metadata?.deletionTimestamp).toBeUndefined();
    await finish('web-2');
    await waitTerminating('web-1');
    await finish('web-1');
    await waitNames('web', ['web-0']);
    await waitStatus('web', (s) => s.replicas === 1, 'replicas 1');
  });

  it('replaces a failed pod under the same name', async () => {
    await cp.create(manifest('web', 1));
    await upAll('web', 1);
    const uid = (await pod('web-0')).metadata?.uid;
    await cp.patchStatus(POD, 'web-0', 'default', { phase: 'Failed' });
    await waitTerminating('web-0');
    await finish('web-0');
    await cp.waitFor(async () => { const p = await cp.find<Pod>(POD, 'web-0', 'default'); return p && p.metadata?.uid !== uid; }, 'a new web-0');
  });

  it('rolls out a new template only to ordinals at or above the partition, highest first', async () => {
    await cp.create(manifest('web', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await upAll('web', 3);
    const old = (await sts('web')).status?.currentRevision;
    await cp.patch(STS, 'web', 'default', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
    await waitTerminating('web-2');
    expect((await pod('web-1')).metadata?.deletionTimestamp).toBeUndefined();
    await finish('web-2');
    await cp.waitFor(async () => (await cp.find<Pod>(POD, 'web-2', 'default'))?.spec?.containers[0]?.image === 'app:2', 'web-2 at app:2');
    await runAll('web');
    await waitTerminating('web-1');
    await finish('web-1');
    await cp.waitFor(async () => (await cp.find<Pod>(POD, 'web-1', 'default'))?.spec?.containers[0]?.image === 'app:2', 'web-1 at app:2');
    await runAll('web');
    const st = await waitStatus('web', (s) => s.updatedReplicas === 2 && s.readyReplicas === 3, '2 updated');
    expect(st.currentRevision).toBe(old);
    expect(st.updateRevision).not.toBe(old);
    expect(st.currentReplicas).toBe(1);
    expect((await pod('web-0')).spec?.containers[0]?.image).toBe('app:1');
    expect((await pod('web-0')).metadata?.deletionTimestamp).toBeUndefined();
    const revs = (await cp.list<ControllerRevision>(CR, 'default')).map((r) => [r.metadata?.name, r.revision]).sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(revs).toEqual([[old, 1], [st.updateRevision, 2]]);
    // Partition 0 finishes the rollout: the update revision becomes current.
    await cp.patch(STS, 'web', 'default', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await waitTerminating('web-0');
    await finish('web-0');
    await cp.waitFor(async () => (await cp.find<Pod>(POD, 'web-0', 'default'))?.spec?.containers[0]?.image === 'app:2', 'web-0 at app:2');
    await runAll('web');
    await waitStatus('web', (s) => s.currentRevision === st.updateRevision && s.currentReplicas === 3, 'rollout complete');
  });

  it('leaves pods alone under OnDelete and recreates a deleted one at the new revision', async () => {
    await cp.create(manifest('web', 2, { updateStrategy: { type: 'OnDelete' } }));
    await upAll('web', 2);
    await cp.patch(STS, 'web', 'default', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
    const s = await waitStatus('web', (x) => x.updateRevision !== x.currentRevision, 'update revision');
    expect(s.updatedReplicas ?? 0).toBe(0);
    expect((await pods('web')).every((p) => !p.metadata?.deletionTimestamp)).toBe(true);
    await finish('web-1');
    await cp.waitFor(async () => (await cp.find<Pod>(POD, 'web-1', 'default'))?.spec?.containers[0]?.image === 'app:2', 'web-1 at app:2');
    expect((await pod('web-0')).spec?.containers[0]?.image).toBe('app:1');
  });

  it('renumbers a re-applied template as the newest revision and prunes beyond revisionHistoryLimit', async () => {
    await cp.create(manifest('web', 1, { revisionHistoryLimit: 1 }));
    await upAll('web', 1);
    const image = async (img: string) => {
      await cp.patch(STS, 'web', 'default', { spec: { template: { spec: { containers: [{ name: 'app', image: img }] } } } });
      await waitTerminating('web-0');
      await finish('web-0');
      await cp.waitFor(async () => (await cp.find<Pod>(POD, 'web-0', 'default'))?.spec?.containers[0]?.image === img, `web-0 at ${img}`);
      await runAll('web');
      return waitStatus('web', (s) => s.currentRevision === s.updateRevision && s.readyReplicas === 1, 'complete');
    };
    const first = (await sts('web')).status!.currentRevision;
    await image('app:2');
    await image('app:1');
    const revs = async () => (await cp.list<ControllerRevision>(CR, 'default')).map((r) => `${r.metadata?.name}=${r.revision}`).sort();
    await cp.waitFor(async () => (await revs()).includes(`${first}=3`), 'app:1 renumbered 3');
    await cp.waitFor(async () => (await revs()).length === 2, 'history pruned to live + 1');
  });
});

describe('statefulset controller: volumeClaimTemplates', () => {
  const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
  const claims = async () => (await cp.list<PersistentVolumeClaim>(PVC, 'default')).map((c) => c.metadata!.name!).sort();
  const withClaims = (policy?: { whenDeleted: string; whenScaled: string }) => manifest('db', 2, {
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    template: {
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'app', image: 'app:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
    },
    ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
  });

  it('creates one claim per pod, mounts it, and keeps it when the pod is replaced', async () => {
    await cp.create(withClaims());
    await upAll('db', 2);
    expect(await claims()).toEqual(['data-db-0', 'data-db-1']);
    const claim = await cp.get<PersistentVolumeClaim>(PVC, 'data-db-0', 'default');
    expect(claim.metadata?.labels).toEqual({ app: 'db' });
    expect(claim.metadata?.ownerReferences).toBeUndefined();
    expect((await pod('db-0')).spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }]);
    const uid = (await pod('db-0')).metadata?.uid;
    await finish('db-0');
    await cp.waitFor(async () => { const p = await cp.find<Pod>(POD, 'db-0', 'default'); return p && p.metadata?.uid !== uid; }, 'db-0 replaced');
    const again = await cp.get<PersistentVolumeClaim>(PVC, 'data-db-0', 'default');
    expect(again.metadata).toMatchObject({ name: 'data-db-0' });
    expect(again.metadata?.uid).toBe(claim.metadata?.uid);
    // Scaling down (once db-0 is back) keeps claims by default (whenScaled: Retain).
    await runAll('db');
    await cp.patch(STS, 'db', 'default', { spec: { replicas: 1 } });
    await waitTerminating('db-1');
    expect((await cp.get<PersistentVolumeClaim>(PVC, 'data-db-1', 'default')).metadata?.ownerReferences).toBeUndefined();
  });

  it('hands claims to the garbage collector as the retention policy says: whenDeleted to the set, whenScaled to the scaled-away pod', async () => {
    const set = await cp.create(withClaims({ whenDeleted: 'Delete', whenScaled: 'Delete' }));
    await upAll('db', 2);
    const owners = async (name: string) => ((await cp.get<PersistentVolumeClaim>(PVC, name, 'default')).metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}/${o.uid}`);
    expect(await owners('data-db-0')).toEqual([`StatefulSet/db/${set.metadata!.uid}`]);
    const p1 = await pod('db-1');
    await cp.patch(STS, 'db', 'default', { spec: { replicas: 1 } });
    await waitTerminating('db-1');
    // The pod alone: with the set still an owner, the garbage collector would never delete the claim.
    expect(await owners('data-db-1')).toEqual([`Pod/db-1/${p1.metadata!.uid}`]);
    expect(await owners('data-db-0')).toEqual([`StatefulSet/db/${set.metadata!.uid}`]);
    // Once the pod is gone the garbage collector deletes its claim, and only its claim.
    await cp.startController('garbage-collector');
    await finish('db-1');
    await cp.waitFor(async () => (await claims()).join() === 'data-db-0', 'data-db-1 deleted with its pod', 10_000);
  });
});
