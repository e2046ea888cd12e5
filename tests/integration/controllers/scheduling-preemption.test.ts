// DefaultPreemption end to end on the in-process control plane with stand-in nodes and the real
// scheduler: a high-priority pod evicts the lowest-priority pod on a full node (DisruptionTarget,
// Preempted event, nominatedNodeName, then bound once the victim is gone), preemptionPolicy Never
// does not preempt, and a pod guarded by a PodDisruptionBudget is spared when another choice exists.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodDisruptionBudget } from '../../../main/api/types';
import { SharedInformers } from '../../../main/client/cache/shared-informers';
import { startScheduler, type Scheduler } from '../../../main/scheduler';
import { startControlPlane, type ControlPlane } from '../../helpers/control-plane';
import { registerNode } from '../../helpers/node-standin';

const POD = { apiVersion: 'v1', kind: 'Pod' };
let cp: ControlPlane;
let sched: Scheduler;
let stopInformers: () => void;

beforeEach(async () => {
  cp = await startControlPlane();
  const informers = new SharedInformers(cp.client);
  sched = startScheduler(cp.client, { informers, log: (l) => cp.logs.push(l) });
  stopInformers = informers.start();
});
afterEach(async () => {
  sched?.stop();
  stopInformers?.();
  await cp?.stop();
});

// The control plane runs without admission: spec.priority and preemptionPolicy are written as the
// Priority admission plugin would from these classes.
const CLASSES: Record<string, { priority: number; preemptionPolicy: string }> = {
  low: { priority: 100, preemptionPolicy: 'PreemptLowerPriority' },
  mid: { priority: 200, preemptionPolicy: 'PreemptLowerPriority' },
  high: { priority: 1000, preemptionPolicy: 'PreemptLowerPriority' },
  'high-never': { priority: 1000, preemptionPolicy: 'Never' },
};

function pod(name: string, priorityClassName: string, cpu: string, labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { priorityClassName, ...CLASSES[priorityClassName], containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] },
  };
}

async function boundTo(name: string): Promise<string> {
  return cp.waitFor(async () => (await cp.get<Pod>(POD, name, 'default')).spec?.nodeName, `${name} bound`);
}

/** Plays the kubelet: a pod marked for deletion goes away at once. */
async function finishDeletion(name: string): Promise<Pod> {
  const p = await cp.waitFor(async () => {
    const x = await cp.find<Pod>(POD, name, 'default');
    return x?.metadata?.deletionTimestamp ? x : undefined;
  }, `${name} terminating`);
  await cp.delete(POD, name, { namespace: 'default', gracePeriodSeconds: 0 });
  return p;
}

async function failedMessage(name: string): Promise<string | undefined> {
  const c = (await cp.get<Pod>(POD, name, 'default')).status?.conditions?.find((x) => x.type === 'PodScheduled');
  return c?.status === 'False' ? c.message : undefined;
}

describe('scheduler preemption', () => {
  it('evicts the lowest-priority pod of a full node and nominates the node for the preemptor', async () => {
    await registerNode(cp, 'n1');
    await cp.create(pod('lowest', 'low', '2'));
    await cp.create(pod('middle', 'mid', '2'));
    expect(await boundTo('lowest')).toBe('n1');
    expect(await boundTo('middle')).toBe('n1');
    const high = await cp.create(pod('urgent', 'high', '2'));

    const victim = await finishDeletion('lowest');
    expect(victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    const nominated = await cp.waitFor(async () => (await cp.get<Pod>(POD, 'urgent', 'default')).status?.nominatedNodeName, 'nominatedNodeName');
    expect(nominated).toBe('n1');
    expect(await boundTo('urgent')).toBe('n1');
    const ev = await cp.waitFor(async () => (await cp.events('lowest', 'default')).find((e) => e.reason === 'Preempted'), 'Preempted event');
    expect(ev).toMatchObject({ type: 'Normal', message: `Preempted by pod ${high.metadata?.uid} on node n1` });
    expect((await cp.get<Pod>(POD, 'middle', 'default')).metadata?.deletionTimestamp).toBeUndefined();
  });

  it('keeps the nominated room from a lower-priority pod while victims terminate', async () => {
    await registerNode(cp, 'n1');
    await cp.create(pod('lowest', 'low', '4'));
    await boundTo('lowest');
    await cp.create(pod('urgent', 'high', '4'));
    await cp.waitFor(async () => (await cp.get<Pod>(POD, 'urgent', 'default')).status?.nominatedNodeName, 'nominatedNodeName');
    // A mid-priority pod arriving before the victim is gone must not take the room.
    await cp.create(pod('other', 'mid', '2'));
    await finishDeletion('lowest');
    expect(await boundTo('urgent')).toBe('n1');
    expect(await cp.waitFor(() => failedMessage('other'), 'other unschedulable')).toContain('Insufficient cpu');
    expect((await cp.get<Pod>(POD, 'other', 'default')).spec?.nodeName).toBeUndefined();
  });

  it('does not preempt with preemptionPolicy Never', async () => {
    await registerNode(cp, 'n1');
    await cp.create(pod('lowest', 'low', '4'));
    await boundTo('lowest');
    await cp.create(pod('polite', 'high-never', '1'));
    const msg = await cp.waitFor(() => failedMessage('polite'), 'PodScheduled=False');
    expect(msg).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    const lowest = await cp.get<Pod>(POD, 'lowest', 'default');
    expect(lowest.metadata?.deletionTimestamp).toBeUndefined();
    expect((await cp.get<Pod>(POD, 'polite', 'default')).status?.nominatedNodeName).toBeUndefined();
  });

  it('spares a pod guarded by a PodDisruptionBudget when another node has a victim', async () => {
    await registerNode(cp, 'n1');
    await cp.create(pod('guarded', 'low', '4', { app: 'db' }));
    expect(await boundTo('guarded')).toBe('n1');
    await registerNode(cp, 'n2');
    await cp.create(pod('free', 'low', '4', { app: 'web' }));
    expect(await boundTo('free')).toBe('n2');
    await cp.create<PodDisruptionBudget>({
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } },
    });
    // The disruption controller's verdict, played here: no disruption allowed.
    await cp.patchStatus({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' }, 'db', 'default', {
      disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: 1,
    });
    await cp.waitFor(async () => (await cp.get<PodDisruptionBudget>({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' }, 'db', 'default')).status?.expectedPods === 1, 'pdb status');
    await cp.create(pod('urgent', 'high', '4'));
    await finishDeletion('free');
    expect(await boundTo('urgent')).toBe('n2');
    expect((await cp.get<Pod>(POD, 'guarded', 'default')).metadata?.deletionTimestamp).toBeUndefined();
  });
});
