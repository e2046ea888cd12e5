// The disruption controller's reset of stale DisruptionTarget conditions, with the timeout shortened
// for the test: a pod marked for disruption but not deleted gets the condition set to False (reason and
// message kept); the kubelet's own condition and finished pods are left alone.
import { describe, expect, it } from 'vitest';
import type { Pod, PodCondition } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { finishPod, registerNode, runPod } from '../../helpers/node-standin';

const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const TIMEOUT_MS = 2000;
const cp = controlPlaneEach('disruption', { stalePodDisruptionTimeoutMs: TIMEOUT_MS }, (plane) => registerNode(plane, 'n1'));

const seconds = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

async function marked(name: string, reason: string, at: number, finish = false): Promise<Pod> {
  const created = await cp.create<Pod>({ ...POD, metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  let p = await runPod(cp, created, 'n1');
  if (finish) p = await finishPod(cp, p, 1);
  const target = { type: 'DisruptionTarget', status: 'True', reason, message: `${reason} message`, lastTransitionTime: seconds(at) };
  return cp.patchStatus<Pod>(POD, name, 'default', { conditions: [...(p.status?.conditions ?? []), target] });
}

const targetOf = async (name: string): Promise<PodCondition | undefined> =>
  (await cp.get<Pod>(POD, name, 'default')).status?.conditions?.find((c) => c.type === 'DisruptionTarget');

describe('disruption controller: stale DisruptionTarget conditions', () => {
  it('resets a stale condition to False after the timeout, keeping its reason and message', async () => {
    const old = Date.now() - 10 * 60_000;
    await marked('kubelet', 'TerminationByKubelet', old);
    await marked('done', 'EvictionByEvictionAPI', old, true);
    await marked('evicted', 'EvictionByEvictionAPI', old);
    const fresh = Date.now();
    await marked('preempted', 'PreemptionByScheduler', fresh);

    const reset = await cp.waitFor(async () => { const c = await targetOf('evicted'); return c?.status === 'False' ? c : undefined; }, 'evicted reset');
    expect(reset).toMatchObject({ reason: 'EvictionByEvictionAPI', message: 'EvictionByEvictionAPI message' });
    expect(Date.parse(reset.lastTransitionTime!)).toBeGreaterThan(old);
    // The fresh one waits out the timeout.
    expect((await targetOf('preempted'))?.status).toBe('True');
    const later = await cp.waitFor(async () => { const c = await targetOf('preempted'); return c?.status === 'False' ? c : undefined; }, 'preempted reset');
    expect(Date.parse(later.lastTransitionTime!)).toBeGreaterThanOrEqual(Date.parse(seconds(fresh)) + TIMEOUT_MS - 1000);
    // Those older than both were looked at first and stay as they are.
    expect((await targetOf('kubelet'))?.status).toBe('True');
    expect((await targetOf('done'))?.status).toBe('True');
  });
});
