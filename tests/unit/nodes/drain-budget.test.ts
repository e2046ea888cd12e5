// Both drains of Flotilla's own (the UI's Drain and the node manager's drain before a machine goes)
// respect PodDisruptionBudgets, on an in-process control plane running the disruption controller:
// refused evictions are reported with the budget's reason, not forced.
import { describe, expect, it } from 'vitest';
import type { Pod, PodDisruptionBudget } from '../../../main/api/types';
import { drain } from '../../../main/bridge/nodes';
import { drainNode } from '../../../main/nodes/drain';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode, runPod } from '../../helpers/node-standin';

const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const PDB = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' } as const;
const cp = controlPlaneEach('disruption', {}, async (plane) => {
  await registerNode(plane, 'n1');
  for (const name of ['a', 'b']) {
    const p = await plane.create<Pod>({ ...POD, metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await runPod(plane, p, 'n1');
  }
  await plane.create<PodDisruptionBudget>({ ...PDB, metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 2 } });
  await plane.waitFor(async () => (await plane.get<PodDisruptionBudget>(PDB, 'web', 'default')).status?.currentHealthy === 2, 'budget status');
});

const WHY = "Cannot evict pod as it would violate the pod's disruption budget. (The disruption budget web needs 2 healthy pods and has 2 currently)";
const terminating = async (name: string) => !!(await cp.get<Pod>(POD, name, 'default')).metadata?.deletionTimestamp;

describe('drains and disruption budgets', () => {
  it("the UI's Drain evicts nothing the budget protects and says why", async () => {
    expect(await drain(cp.client, 'n1')).toEqual({ evicted: 0, waiting: [`default/a: ${WHY}`, `default/b: ${WHY}`] });
    expect(await terminating('a')).toBe(false);
    await cp.patch(PDB, 'web', 'default', { spec: { minAvailable: 1 } });
    await cp.waitFor(async () => (await cp.get<PodDisruptionBudget>(PDB, 'web', 'default')).status?.disruptionsAllowed === 1, 'one disruption allowed');
    const r = await drain(cp.client, 'n1');
    expect(r.evicted).toBe(1);
    expect(r.waiting).toHaveLength(1);
  });

  it("the node manager's drain waits on the budget, reporting why, until its deadline", async () => {
    const waits: string[][] = [];
    const logs: string[] = [];
    await drainNode(cp.client, 'n1', { timeoutMs: 300, onWait: (w) => waits.push(w), log: (l) => logs.push(l) });
    expect(waits[0]).toEqual([`default/a: ${WHY}`, `default/b: ${WHY}`]);
    expect(waits).toHaveLength(1); // refused pods are retried after 5 s, not hammered
    expect(await terminating('a')).toBe(false);
    expect(await terminating('b')).toBe(false);
    expect(logs.at(-1)).toMatch(/timed out after .* waiting for pods to leave node n1; deleting the node anyway/);
  });
});
