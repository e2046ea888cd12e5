// The Deployment controller alone on an in-process control plane. The test plays the ReplicaSet
// controller: it makes each ReplicaSet's pods and reports them available (pods Ready, status := spec) one
// step at a time, and checks every step of a rollout against maxSurge / maxUnavailable.
import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentCondition, Pod, ReplicaSet, WatchEvent } from '../../../main/api/types';
import { controlPlaneEach, resourceOf } from '../../helpers/control-plane';
import { deploymentManifest } from '../../helpers/manifests';

const DEP = { apiVersion: 'apps/v1', kind: 'Deployment' };
const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const REVISION = 'deployment.kubernetes.io/revision';

const cp = controlPlaneEach('deployment');

const dep = (name: string) => cp.get<Deployment>(DEP, name, 'default');
const replicaSets = async (app: string) => (await cp.list<ReplicaSet>(RS, 'default', `app=${app}`)).sort((a, b) => revisionOf(a) - revisionOf(b));
const revisionOf = (o: { metadata?: { annotations?: Record<string, string> } }) => Number(o.metadata?.annotations?.[REVISION] ?? 0);
const cond = (d: Deployment, type: string): DeploymentCondition | undefined => d.status?.conditions?.find((c) => c.type === type);
const specs = async (app: string) => JSON.stringify((await replicaSets(app)).map((r) => [r.metadata?.name, r.spec?.replicas]));
/** kubectl set image: a strategic merge patch of the one container. */
const setImage = (name: string, image: string) => cp.client.patch(resourceOf(DEP), name, { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } }, 'strategic', { namespace: 'default' });

/** A ReplicaSet's live pods (by controller reference), named after it. */
async function podsOf(r: ReplicaSet): Promise<Pod[]> {
  return (await cp.list<Pod>(POD, 'default')).filter((p) => p.metadata?.ownerReferences?.some((o) => o.controller && o.uid === r.metadata?.uid));
}

/** Makes `n` pods of the ReplicaSet exist and be Ready (creating and deleting as its controller would). */
async function podsAvailable(r: ReplicaSet, n: number): Promise<void> {
  const have = await podsOf(r);
  for (const p of have.slice(n)) await cp.delete(POD, p.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
  for (let i = have.length; i < n; i++) {
    const name = `${r.metadata!.name!}-${Math.random().toString(36).slice(2, 7)}`;
    await cp.create<Pod>({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: 'default', labels: r.spec?.template?.metadata?.labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: r.metadata!.name!, uid: r.metadata!.uid!, controller: true }] },
      spec: { containers: [{ name: 'web', image: 'app' }] },
    });
    await cp.patchStatus(POD, name, 'default', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] });
  }
}

/** Plays the ReplicaSet controller: every ReplicaSet's pods exist and are available, then its status says so. */
async function settle(app: string): Promise<void> {
  for (const r of await replicaSets(app)) {
    const n = r.spec?.replicas ?? 0;
    const s = r.status;
    if (s?.replicas === n && s.availableReplicas === n && s.observedGeneration === r.metadata?.generation) continue;
    await podsAvailable(r, n);
    await cp.patchStatus(RS, r.metadata!.name!, 'default', { replicas: n, fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: r.metadata?.generation });
  }
}

function complete(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  return d.status?.observedGeneration === d.metadata?.generation && d.status?.updatedReplicas === want && d.status?.replicas === want &&
    d.status?.availableReplicas === want && cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
}

/** Settles ReplicaSets step by step until the deployment reports its rollout complete. */
async function rollOut(name: string): Promise<void> {
  for (let step = 0; step < 30; step++) {
    const before = await specs(name);
    await settle(name);
    const next = await cp.waitFor(async () => (complete(await dep(name)) ? 'done' : (await specs(name)) !== before ? 'moved' : undefined), `rollout step ${step}`);
    if (next === 'done') return;
  }
  throw new Error('rollout did not finish in 30 steps');
}

/** The first two changes of spec.replicas in a ReplicaSet watch (creations and scalings), after the initial ADDED events. */
function firstChanges(events: Array<WatchEvent<ReplicaSet>>): Array<[string, number | undefined]> {
  const last = new Map<string, number | undefined>();
  const out: Array<[string, number | undefined]> = [];
  let initial = true;
  for (const ev of events) {
    const name = ev.object.metadata!.name!;
    initial &&= ev.type === 'ADDED' && revisionOf(ev.object) === 1;
    if (!initial && (ev.type === 'ADDED' || last.get(name) !== ev.object.spec?.replicas)) out.push([ev.type, ev.object.spec?.replicas]);
    last.set(name, ev.object.spec?.replicas);
  }
  return out.slice(0, 2);
}

/** Replays the ReplicaSet watch and checks every state against the rollout's bounds. */
function checkBounds(events: Array<WatchEvent<ReplicaSet>>, maxTotal: number, minAvailable: number): void {
  const latest = new Map<string, ReplicaSet>();
  for (const ev of events) {
    if (ev.type === 'DELETED') latest.delete(ev.object.metadata!.name!);
    else latest.set(ev.object.metadata!.name!, ev.object);
    const all = [...latest.values()];
    const total = all.reduce((n, r) => n + (r.spec?.replicas ?? 0), 0);
    const available = all.reduce((n, r) => n + Math.min(r.spec?.replicas ?? 0, r.status?.availableReplicas ?? 0), 0);
    expect(total, `pods asked for after ${ev.type} ${ev.object.metadata?.name}`).toBeLessThanOrEqual(maxTotal);
    if (ev.type === 'MODIFIED' && all.length > 1) expect(available, `available after ${ev.object.metadata?.name} changed`).toBeGreaterThanOrEqual(minAvailable);
  }
}

describe('deployment controller', () => {
  it('creates the ReplicaSet of the template, with its hash, revision and owner, and reports availability', async () => {
    const d = await cp.create(deploymentManifest('web', 3));
    const [r] = await cp.waitFor(async () => { const l = await replicaSets('web'); return l.length === 1 ? l : undefined; }, 'a ReplicaSet');
    const hash = r.metadata!.labels!['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(r.metadata?.name).toBe(`web-${hash}`);
    expect(r.spec?.replicas).toBe(3);
    expect(r.spec?.selector?.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(r.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(r.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    // 25 % of 3: maxSurge rounds up to 1
    expect(r.metadata?.annotations).toMatchObject({ [REVISION]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    await cp.waitFor(async () => (await dep('web')).metadata?.annotations?.[REVISION] === '1', 'deployment revision 1');
    const unavailable = await cp.waitFor(async () => { const x = await dep('web'); return cond(x, 'Available') ? x : undefined; }, 'conditions');
    expect(cond(unavailable, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(cond(unavailable, 'Progressing')?.status).toBe('True');
    expect(unavailable.status).toMatchObject({ observedGeneration: 1, unavailableReplicas: 3 });
    // Zero counts are left out, as kube's Go round trip stores them (omitempty).
    for (const k of ['replicas', 'updatedReplicas', 'availableReplicas', 'readyReplicas']) expect(unavailable.status).not.toHaveProperty(k);
    const events = await cp.waitFor(async () => { const e = await cp.events('web', 'default'); return e.length ? e : undefined; }, 'an event');
    expect(events[0]).toMatchObject({ reason: 'ScalingReplicaSet', message: `Scaled up replica set web-${hash} from 0 to 3` });

    await settle('web');
    const done = await cp.waitFor(async () => { const x = await dep('web'); return complete(x) ? x : undefined; }, 'complete');
    expect(done.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(done.status?.unavailableReplicas ?? 0).toBe(0);
    expect(done.status?.conditions?.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(cond(done, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(cond(done, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
  });

  it('rolls within maxSurge and maxUnavailable, one step at a time, to the new ReplicaSet (revision 2)', async () => {
    await cp.create(deploymentManifest('web', 4, 'app:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rollOut('web');
    const events = cp.record<ReplicaSet>(RS, 'default');
    await setImage('web', 'app:2');
    // First step: one surge pod for the new ReplicaSet, then one old pod let go (4 available - 3 needed).
    await cp.waitFor(async () => (await replicaSets('web')).length === 2, 'the new ReplicaSet');
    // Both writes of the first step come from one sync; the watch delivers the second a moment after the list sees the first.
    await cp.waitFor(() => firstChanges(events).length === 2, 'the first two ReplicaSet changes');
    expect(firstChanges(events)).toEqual([['ADDED', 1], ['MODIFIED', 3]]);
    const [oldRS, newRS] = await replicaSets('web');
    expect(newRS.metadata?.annotations?.[REVISION]).toBe('2');
    expect(oldRS.metadata?.annotations?.[REVISION]).toBe('1');
    await rollOut('web');
    const [o, n] = await replicaSets('web');
    expect([o.spec?.replicas, n.spec?.replicas]).toEqual([0, 4]);
    expect(n.spec?.template?.spec?.containers[0].image).toBe('app:2');
    expect((await dep('web')).metadata?.annotations?.[REVISION]).toBe('2');
    checkBounds(events, 5, 3);
  });

  it('scales an old ReplicaSet down by what its pods show, not by a status older than they are (a restart after a kill)', async () => {
    await cp.create(deploymentManifest('web', 4, 'app:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rollOut('web');
    const [first] = await replicaSets('web');
    // Two of the old pods gone, the ReplicaSet's status not yet told (its controller died before writing it).
    for (const p of (await podsOf(first)).slice(0, 2)) await cp.delete(POD, p.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    const events = cp.record<ReplicaSet>(RS, 'default');
    await setImage('web', 'app:2');
    await cp.waitFor(async () => (await replicaSets('web')).length === 2, 'the new ReplicaSet');
    // Its status says 4 available, its pods 2: with 3 needed (4 - maxUnavailable 1) the old one is not scaled down.
    await cp.waitFor(async () => (await replicaSets('web'))[1]?.spec?.replicas === 1, 'the surge pod asked for');
    await cp.waitFor(async () => (await cp.list<Pod>(POD, 'default')).length === 2, 'the pod informer to see the deletions');
    // A sync after the deletions: the old ReplicaSet's readyReplicas moves, and the Deployment's status follows it.
    await cp.patchStatus(RS, first.metadata!.name!, 'default', { readyReplicas: 3 });
    await cp.waitFor(async () => (await dep('web')).status?.readyReplicas === 3, 'the deployment synced after the deletions');
    expect((await replicaSets('web'))[0].spec?.replicas).toBe(4);
    expect(events.filter((e) => e.type === 'MODIFIED' && e.object.metadata?.name === first.metadata?.name && e.object.spec?.replicas !== 4)).toEqual([]);
    // The ReplicaSet controller's turn: the status tells the truth, then its pods are made again; the rollout goes on.
    await cp.patchStatus(RS, first.metadata!.name!, 'default', { replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    await rollOut('web');
    const [o, n] = await replicaSets('web');
    expect([o.spec?.replicas, n.spec?.replicas]).toEqual([0, 4]);
  });

  it('with maxSurge 0 creates the new ReplicaSet empty and first lets maxUnavailable old pods go', async () => {
    await cp.create(deploymentManifest('web', 3, 'app:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }));
    await rollOut('web');
    const events = cp.record<ReplicaSet>(RS, 'default');
    await setImage('web', 'app:2');
    await cp.waitFor(async () => (await replicaSets('web')).length === 2, 'the new ReplicaSet');
    await cp.waitFor(() => firstChanges(events).length === 2, 'the first two ReplicaSet changes');
    expect(firstChanges(events)).toEqual([['ADDED', 0], ['MODIFIED', 2]]);
    await rollOut('web');
    checkBounds(events, 3, 2);
  });

  it('Recreate scales the old ReplicaSet to zero and waits for its pods before creating the new one', async () => {
    await cp.create(deploymentManifest('web', 3, 'app:1', { strategy: { type: 'Recreate' } }));
    await rollOut('web');
    await setImage('web', 'app:2');
    const [oldRS] = await cp.waitFor(async () => { const l = await replicaSets('web'); return l[0]?.spec?.replicas === 0 ? l : undefined; }, 'old scaled to 0');
    expect(await replicaSets('web')).toHaveLength(1); // its pods (status.replicas 3) are still there
    await cp.patchStatus(RS, oldRS.metadata!.name!, 'default', { replicas: 0, availableReplicas: 0, readyReplicas: 0, fullyLabeledReplicas: 0 });
    const l = await cp.waitFor(async () => { const x = await replicaSets('web'); return x.length === 2 ? x : undefined; }, 'the new ReplicaSet');
    expect(l[1].spec?.replicas).toBe(3);
    expect(l[1].metadata?.annotations?.[REVISION]).toBe('2');
  });

  it('a paused deployment does not roll but scales; resumed it rolls', async () => {
    await cp.create(deploymentManifest('web', 2, 'app:1'));
    await rollOut('web');
    await cp.patch(DEP, 'web', 'default', { spec: { paused: true } });
    await setImage('web', 'app:2');
    await cp.patch(DEP, 'web', 'default', { spec: { replicas: 3 } });
    const paused = await cp.waitFor(async () => { const x = await dep('web'); return cond(x, 'Progressing')?.reason === 'DeploymentPaused' && x.status?.observedGeneration === x.metadata?.generation ? x : undefined; }, 'paused condition');
    expect(cond(paused, 'Progressing')).toMatchObject({ status: 'Unknown', message: 'Deployment is paused' });
    const [only] = await cp.waitFor(async () => { const l = await replicaSets('web'); return l[0]?.spec?.replicas === 3 ? l : undefined; }, 'scaled while paused');
    expect(await replicaSets('web')).toHaveLength(1);
    expect(only.spec?.template?.spec?.containers[0].image).toBe('app:1');
    await cp.patch(DEP, 'web', 'default', { spec: { paused: false } });
    await rollOut('web');
    const l = await replicaSets('web');
    expect(l.map((r) => [r.spec?.template?.spec?.containers[0].image, r.spec?.replicas])).toEqual([['app:1', 0], ['app:2', 3]]);
  });

  it('rolls back to an old template by reusing its ReplicaSet under the next revision', async () => {
    await cp.create(deploymentManifest('web', 2, 'app:1'));
    await rollOut('web');
    const first = (await replicaSets('web'))[0].metadata!.name!;
    await setImage('web', 'app:2');
    await rollOut('web');
    await setImage('web', 'app:1'); // what kubectl rollout undo writes
    await rollOut('web');
    const l = await replicaSets('web');
    expect(l).toHaveLength(2);
    const back = l.find((r) => r.metadata?.name === first)!;
    expect(back.metadata?.annotations?.[REVISION]).toBe('3');
    // The revision it had is kept in its revision-history (kubectl rollout history lists the ReplicaSet once, as 3).
    expect(back.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(back.spec?.replicas).toBe(2);
    expect((await dep('web')).metadata?.annotations?.[REVISION]).toBe('3');
  });

  it('keeps the current ReplicaSet in step with the Deployment: change-cause and other annotations, minReadySeconds', async () => {
    await cp.create(deploymentManifest('web', 1, 'app:1'));
    await rollOut('web');
    await setImage('web', 'app:2');
    await rollOut('web');
    // kubectl annotate deployment web kubernetes.io/change-cause=…, after the rollout: the current ReplicaSet takes it
    // (what kubectl rollout history shows in CHANGE-CAUSE); the old one keeps what it had.
    await cp.patch(DEP, 'web', 'default', { metadata: { annotations: { 'kubernetes.io/change-cause': 'to app:2' } }, spec: { minReadySeconds: 5 } });
    const current = await cp.waitFor(async () => {
      const r = (await replicaSets('web'))[1];
      return r?.metadata?.annotations?.['kubernetes.io/change-cause'] === 'to app:2' && r.spec?.minReadySeconds === 5 ? r : undefined;
    }, 'the change-cause and minReadySeconds on the current ReplicaSet');
    expect(current.metadata?.annotations?.[REVISION]).toBe('2');
    expect(current.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBeUndefined();
    expect((await replicaSets('web'))[0].metadata?.annotations?.['kubernetes.io/change-cause']).toBeUndefined();
    // Paused, the Deployment's annotations still reach its current ReplicaSet.
    await cp.patch(DEP, 'web', 'default', { spec: { paused: true }, metadata: { annotations: { team: 'blue' } } });
    await cp.waitFor(async () => (await replicaSets('web'))[1]?.metadata?.annotations?.team === 'blue' || undefined, 'the annotation while paused');
  });

  it('keeps revisionHistoryLimit idle old ReplicaSets, deleting the oldest', async () => {
    await cp.create(deploymentManifest('web', 1, 'app:1', { revisionHistoryLimit: 1 }));
    await rollOut('web');
    for (const image of ['app:2', 'app:3']) {
      await setImage('web', image);
      await rollOut('web');
    }
    const l = await cp.waitFor(async () => { const x = await replicaSets('web'); return x.length === 2 ? x : undefined; }, 'history pruned to one');
    expect(l.map((r) => [r.spec?.template?.spec?.containers[0].image, r.metadata?.annotations?.[REVISION]])).toEqual([['app:2', '2'], ['app:3', '3']]);
  });
});
