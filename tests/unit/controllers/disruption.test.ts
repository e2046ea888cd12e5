// The disruption controller alone on an in-process control plane, with the eviction subresource it
// feeds: budget status from matching pods (minAvailable counts pods, percentages and maxUnavailable
// count the controllers' replicas), evictions taking disruptions until the budget refuses with 429.
import { describe, expect, it } from 'vitest';
import type { KObject, Pod, PodDisruptionBudget, ReplicaSet } from '../../../main/api/types';
import { ClientError } from '../../../main/client/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode, runPod, setPodReady } from '../../helpers/node-standin';

const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const PDB = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' } as const;
const cp = controlPlaneEach('disruption', {}, (plane) => registerNode(plane, 'n1'));

async function pod(name: string, o: { owner?: KObject; ready?: boolean; run?: boolean } = {}): Promise<Pod> {
  const ownerReferences = o.owner
    ? [{ apiVersion: o.owner.apiVersion!, kind: o.owner.kind!, name: o.owner.metadata!.name!, uid: o.owner.metadata!.uid!, controller: true }] : undefined;
  const meta = { name, namespace: 'default', labels: { app: 'web' }, ...(ownerReferences ? { ownerReferences } : {}) };
  const p = await cp.create<Pod>({ ...POD, metadata: meta, spec: { containers: [{ name: 'c', image: 'x' }] } });
  return o.run === false ? p : runPod(cp, p, 'n1', o.ready ?? true);
}

async function budget(spec: PodDisruptionBudget['spec']): Promise<void> {
  await cp.create<PodDisruptionBudget>({ ...PDB, metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
}

const status = async () => (await cp.get<PodDisruptionBudget>(PDB, 'web', 'default')).status;

async function statusWhere(pred: (s: NonNullable<PodDisruptionBudget['status']>) => boolean, what: string) {
  return cp.waitFor(async () => { const s = await status(); return s && pred(s) ? s : undefined; }, what);
}

async function evictError(name: string): Promise<ClientError> {
  const e = await cp.client.evict('default', name).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ClientError);
  return e as ClientError;
}

describe('disruption controller and eviction', () => {
  it('minAvailable: counts ready pods, lets one eviction through, then refuses with 429 and the budget as cause', async () => {
    for (const n of ['a', 'b', 'c']) await pod(n);
    await budget({ minAvailable: 2 });
    const s = await statusWhere((x) => x.expectedPods === 3 && x.currentHealthy === 3, 'status of three healthy pods');
    expect(s).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(s.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', observedGeneration: 1 })]);

    await cp.client.evict('default', 'a');
    const a = await cp.get<Pod>(POD, 'a', 'default');
    expect(a.metadata?.deletionTimestamp).toBeTruthy(); // bound: graceful deletion
    expect(a.status?.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }));
    const after = await status();
    expect(after?.disruptionsAllowed).toBe(0);

    const e = await evictError('b');
    expect(e.code).toBe(429);
    expect(e.reason).toBe('TooManyRequests');
    expect(e.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(e.status?.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]);
    expect((await cp.get<Pod>(POD, 'b', 'default')).metadata?.deletionTimestamp).toBeUndefined();
    // The evicted pod is terminating: no longer healthy, and its disruptedPods entry is done.
    const settled = await statusWhere((x) => x.currentHealthy === 2 && !x.disruptedPods, 'terminating pod no longer healthy nor pending');
    expect(settled).toMatchObject({ disruptionsAllowed: 0, desiredHealthy: 2 });
    expect(settled.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('maxUnavailable as a percentage of the controller replicas, rounding up', async () => {
    const rs = await cp.create<ReplicaSet>({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    for (const n of ['a', 'b', 'c']) await pod(n, { owner: rs as KObject });
    await budget({ maxUnavailable: '30%' });
    // 30% of 4 rounds up to 2: 2 must be healthy, 3 are.
    expect(await statusWhere((x) => x.expectedPods === 4, 'expected from the ReplicaSet')).toMatchObject({ desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
  });

  it('a percentage over pods without a controller fails safe with NoControllers', async () => {
    await pod('lonely');
    await budget({ minAvailable: '50%' });
    const s = await statusWhere((x) => x.conditions?.[0]?.reason === 'SyncFailed', 'SyncFailed');
    expect(s.disruptionsAllowed).toBe(0);
    expect(s.conditions?.[0]).toMatchObject({ status: 'False', message: 'found no controllers for pod "lonely"' });
    const events = await cp.waitFor(async () => (await cp.events('web', 'default')).find((e) => e.reason === 'NoControllers'), 'NoControllers event');
    expect(events).toMatchObject({ type: 'Warning', message: 'found no controllers for pod "lonely"' });
    expect((await evictError('lonely')).code).toBe(429);
  });

  it('unready pods: evictable while the budget is met (IfHealthyBudget), always with AlwaysAllow; pending pods skip budgets', async () => {
    for (const n of ['a', 'b']) await pod(n);
    const sick = await pod('sick');
    await setPodReady(cp, sick, false);
    await budget({ minAvailable: 2 });
    await statusWhere((x) => x.currentHealthy === 2 && x.desiredHealthy === 2, 'two healthy of two');
    await cp.client.evict('default', 'sick'); // not ready, budget met: allowed without taking a disruption
    expect((await status())?.disruptionsAllowed).toBe(0);
    await pod('pending', { run: false });
    await cp.client.evict('default', 'pending');
    expect(await cp.find(POD, 'pending', 'default')).toBeUndefined(); // unbound: gone at once

    await setPodReady(cp, await cp.get<Pod>(POD, 'a', 'default'), false);
    await statusWhere((x) => x.currentHealthy === 1, 'one healthy');
    expect((await evictError('a')).code).toBe(429); // IfHealthyBudget: the budget is not met
    await cp.patch(PDB, 'web', 'default', { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
    await statusWhere((x) => x.observedGeneration === 2, 'generation 2 observed');
    await cp.client.evict('default', 'a');
    expect((await cp.get<Pod>(POD, 'a', 'default')).metadata?.deletionTimestamp).toBeTruthy();
  });

  it('refuses a pod that two budgets cover with 500', async () => {
    await pod('a');
    await budget({ maxUnavailable: 1 });
    await cp.create<PodDisruptionBudget>({ ...PDB, metadata: { name: 'second', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 0 } });
    const e = await evictError('a');
    expect(e.code).toBe(500);
    expect(e.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  });
});
