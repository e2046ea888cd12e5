// DefaultPreemption's decisions on NodeInfos built from plain objects: victims on a node, reprieve,
// PDB-aware choice, the candidate order, the nominator's reservation and the dry-run message.
import { describe, expect, it } from 'vitest';
import type { Node, Pod, PodDisruptionBudget } from '../../../main/api/types';
import { NodeInfo } from '../../../main/scheduler/node-info';
import { newPodInfo } from '../../../main/scheduler/pod-info';
import { Framework } from '../../../main/scheduler/framework';
import { findCandidate, notEligible, pickCandidate, selectVictimsOnNode, type Candidate } from '../../../main/scheduler/preemption';
import type { PodInfo } from '../../../main/scheduler/types';

function node(name: string, cpu = '4'): NodeInfo {
  const n: Node = { metadata: { name }, spec: {}, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
  return new NodeInfo(n);
}

function pod(name: string, cpu: string, priority: number, extra: { labels?: Record<string, string>; start?: string; never?: boolean } = {}): PodInfo {
  const p: Pod = {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: extra.labels },
    spec: { priority, ...(extra.never ? { preemptionPolicy: 'Never' } : {}), containers: [{ name: 'c', resources: { requests: { cpu } } }] },
    status: { startTime: extra.start ?? '2026-01-01T00:00:00Z' },
  };
  return newPodInfo(p);
}

function pdb(app: string, allowed: number): PodDisruptionBudget {
  return {
    metadata: { name: `pdb-${app}`, namespace: 'default' }, spec: { selector: { matchLabels: { app } } },
    status: { disruptionsAllowed: allowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
  };
}

const fw = new Framework();
const fits = (p: PodInfo, ni: NodeInfo) => fw.filter(p, ni);
const names = (c: Candidate | string | undefined) => (typeof c === 'object' ? c.victims.map((v) => v.pod.metadata?.name) : c);

describe('preemption', () => {
  it('removes only lower-priority pods, reprieving the most important that still leave room', () => {
    const n = node('n', '4');
    for (const p of [pod('low1', '1', 1), pod('low2', '1', 2), pod('mid', '1', 5), pod('equal', '1', 10)]) n.addPod(p);
    const high = pod('high', '2', 10);
    expect(names(selectVictimsOnNode(high, n, fits, []))).toEqual(['low2', 'low1']);
    const c = selectVictimsOnNode(pod('high', '1', 10), n, fits, []);
    expect(names(c)).toEqual(['low1']);
    // The NodeInfo is left as it was.
    expect(n.pods.size).toBe(4);
    expect(n.reqCpu).toBe(4000);
    // Equal priority is never a victim.
    expect(selectVictimsOnNode(pod('x', '4', 10), n, fits, [])).toBe('Insufficient cpu');
    expect(selectVictimsOnNode(pod('x', '1', 1), n, fits, [])).toBe('No preemption victims found for incoming pod');
  });

  it('prefers victims whose eviction keeps PodDisruptionBudgets, and counts violations', () => {
    const n = node('n', '2');
    n.addPod(pod('guarded', '1', 1, { labels: { app: 'db' } }));
    n.addPod(pod('free', '1', 1, { labels: { app: 'web' } }));
    const c = selectVictimsOnNode(pod('high', '1', 10), n, fits, [pdb('db', 0)]);
    expect(names(c)).toEqual(['free']);
    expect(typeof c === 'object' && c.numPDBViolations).toBe(0);
    const both = selectVictimsOnNode(pod('high', '2', 10), n, fits, [pdb('db', 0)]);
    expect(typeof both === 'object' && both.numPDBViolations).toBe(1);
  });

  it('picks the node by PDB violations, highest victim priority, priority sum, count and start time', () => {
    const c = (node: string, prios: number[], pdbV = 0, start = '2026-01-01T00:00:00Z'): Candidate => ({
      node, numPDBViolations: pdbV, victims: prios.map((p, i) => pod(`${node}-${i}`, '1', p, { start })),
    });
    expect(pickCandidate([c('a', [1], 1), c('b', [5], 0)])?.node).toBe('b');
    expect(pickCandidate([c('a', [5]), c('b', [3, 3])])?.node).toBe('b');
    expect(pickCandidate([c('a', [3, 2]), c('b', [3, 1])])?.node).toBe('b');
    expect(pickCandidate([c('a', [3, -5]), c('b', [3])])?.node).toBe('b');
    expect(pickCandidate([c('a', [3], 0, '2026-01-01T00:00:00Z'), c('b', [3], 0, '2026-02-01T00:00:00Z')])?.node).toBe('b');
    expect(pickCandidate([])).toBeUndefined();
  });

  it('finds the cheapest node across the cluster, or explains why none helps', () => {
    const a = node('a', '2');
    const b = node('b', '2');
    a.addPod(pod('a-mid', '2', 5));
    b.addPod(pod('b-low', '2', 1));
    const found = findCandidate(pod('high', '1', 10), [a, b], fits, []);
    expect(typeof found === 'object' && found.node).toBe('b');
    expect(names(found)).toEqual(['b-low']);
    expect(findCandidate(pod('p', '1', 0), [a, b], fits, [])).toBe('0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  });

  it('is refused by preemptionPolicy Never', () => {
    expect(notEligible(pod('n', '1', 10, { never: true }), false)).toBe('not eligible due to preemptionPolicy=Never.');
    expect(notEligible(pod('n', '1', 10), false)).toBeUndefined();
  });

  it('keeps a nominated pod’s room from pods of lower priority, not from higher ones', () => {
    const f = new Framework();
    const n = node('n', '2');
    f.nominator.set(pod('nominee', '2', 10), 'n');
    expect(f.filter(pod('low', '1', 5), n)?.reasons).toEqual(['Insufficient cpu']);
    expect(f.filter(pod('higher', '1', 20), n)).toBeUndefined();
    expect(f.filter(pod('nominee', '2', 10), n)).toBeUndefined();
    expect(n.pods.size).toBe(0);
    f.nominator.delete('uid-nominee');
    expect(f.filter(pod('low', '1', 5), n)).toBeUndefined();
  });
});
