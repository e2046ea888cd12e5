// Filter and score plugins, the FitError message and the sampling of nodes, on NodeInfos built
// from plain objects.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../main/api/types';
import { NodeInfo } from '../../../main/scheduler/node-info';
import { newPodInfo } from '../../../main/scheduler/pod-info';
import { EXPLAIN_NODES, Framework, feasibleToFind, type CycleExplain } from '../../../main/scheduler/framework';
import { fitErrorMessage } from '../../../main/scheduler/fit-error';
import { nodeResourcesFit } from '../../../main/scheduler/plugins/node-resources-fit';
import { taintTolerationFilter } from '../../../main/scheduler/plugins/taint-toleration';
import { nodeAffinityFilter, nodeAffinityScore } from '../../../main/scheduler/plugins/node-affinity';
import { nodePorts } from '../../../main/scheduler/plugins/node-ports';
import { nodeUnschedulable } from '../../../main/scheduler/plugins/node-unschedulable';
import { nodeName } from '../../../main/scheduler/plugins/node-name';
import type { FilterFailure } from '../../../main/scheduler/types';

function node(name: string, extra: Partial<Node['spec']> = {}, labels: Record<string, string> = {}, cpu = '4', pods = '110'): NodeInfo {
  return new NodeInfo({ metadata: { name, labels }, spec: extra, status: { allocatable: { cpu, memory: '8Gi', pods } } });
}

function pod(name: string, spec: Partial<Pod['spec']> = {}, cpu?: string, owner?: string): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] } : {}) },
    spec: { containers: [{ name: 'c', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...spec },
  };
}

describe('filters', () => {
  it('NodeResourcesFit: cpu, memory and pod count', () => {
    const n = node('n', {}, {}, '1', '1');
    expect(nodeResourcesFit.filter(newPodInfo(pod('a', {}, '500m')), n)).toBeUndefined();
    n.addPod(newPodInfo(pod('b', {}, '800m')));
    expect(nodeResourcesFit.filter(newPodInfo(pod('a', {}, '500m')), n)).toEqual({ reasons: ['Too many pods', 'Insufficient cpu'], unresolvable: false });
    n.removePod('uid-b');
    expect(nodeResourcesFit.filter(newPodInfo(pod('a', {}, '500m')), n)).toBeUndefined();
  });

  it('TaintToleration: NoSchedule/NoExecute taints need a toleration', () => {
    const n = node('n', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'soft', effect: 'PreferNoSchedule' }] });
    expect(taintTolerationFilter.filter(newPodInfo(pod('a')), n)).toEqual({ reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], unresolvable: true });
    expect(taintTolerationFilter.filter(newPodInfo(pod('a', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] })), n)).toBeUndefined();
    expect(taintTolerationFilter.filter(newPodInfo(pod('a', { tolerations: [{ operator: 'Exists' }] })), n)).toBeUndefined();
  });

  it('NodeAffinity: nodeSelector, required terms (ORed) and matchFields', () => {
    const n = node('n1', {}, { zone: 'a', size: '10' });
    expect(nodeAffinityFilter.filter(newPodInfo(pod('a', { nodeSelector: { zone: 'a' } })), n)).toBeUndefined();
    expect(nodeAffinityFilter.filter(newPodInfo(pod('a', { nodeSelector: { zone: 'b' } })), n)?.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
    const aff = (terms: NonNullable<NonNullable<NonNullable<Pod['spec']>['affinity']>['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']) => pod('a', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } });
    expect(nodeAffinityFilter.filter(newPodInfo(aff({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'size', operator: 'Gt', values: ['5'] }] }] })), n)).toBeUndefined();
    expect(nodeAffinityFilter.filter(newPodInfo(aff({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] })), n)).toBeDefined();
    expect(nodeAffinityFilter.filter(newPodInfo(aff({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] })), n)).toBeUndefined();
  });

  it('NodePorts, NodeUnschedulable, NodeName', () => {
    const n = node('n1', { unschedulable: true });
    const withPort = pod('a', { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    expect(nodePorts.filter(newPodInfo(withPort), n)).toBeUndefined();
    n.addPod(newPodInfo({ ...withPort, metadata: { ...withPort.metadata, uid: 'other' } }));
    expect(nodePorts.filter(newPodInfo(withPort), n)?.reasons).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
    expect(nodeUnschedulable.filter(newPodInfo(pod('a')), n)?.reasons).toEqual(['node(s) were unschedulable']);
    expect(nodeUnschedulable.filter(newPodInfo(pod('a', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] })), n)).toBeUndefined();
    expect(nodeName.filter(newPodInfo(pod('a', { nodeName: 'n2' })), n)?.reasons).toEqual(["node(s) didn't match the requested node name"]);
  });
});

describe('fit error', () => {
  it('prints the histogram like the scheduler, its entries sorted as strings', () => {
    const f: FilterFailure[] = [
      { reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], unresolvable: true },
      { reasons: ['Insufficient cpu'], unresolvable: false },
      { reasons: ['Insufficient cpu'], unresolvable: false },
    ];
    expect(fitErrorMessage(3, f)).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(fitErrorMessage(0, [])).toBe('no nodes available to schedule pods');
  });
});

describe('framework', () => {
  it('samples nodes like percentageOfNodesToScore', () => {
    expect(feasibleToFind(50)).toBe(50);
    expect(feasibleToFind(1000)).toBe(420);
    expect(feasibleToFind(5000)).toBe(500);
    expect(feasibleToFind(100_000)).toBe(5000);
  });

  it('spreads pods of one owner evenly and prefers preferred affinity', () => {
    const fw = new Framework();
    const nodes = [node('a'), node('b'), node('c')];
    for (let i = 0; i < 10; i++) {
      const pi = newPodInfo(pod(`p${i}`, {}, '100m', 'rs1'));
      const r = fw.schedule(pi, nodes);
      if (!('node' in r)) throw new Error('unschedulable');
      nodes.find((n) => n.name === r.node)!.addPod(pi);
    }
    expect(nodes.map((n) => n.pods.size).sort()).toEqual([3, 3, 4]);

    const labelled = [node('x', {}, { disk: 'hdd' }), node('y', {}, { disk: 'ssd' })];
    const pi = newPodInfo(pod('pref', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } }));
    const out = new Float64Array(2);
    nodeAffinityScore.score(pi, labelled, out);
    expect([...out]).toEqual([0, 100]);
    expect(fw.schedule(pi, labelled)).toEqual({ node: 'y' });
  });

  it('reports every node that failed', () => {
    const fw = new Framework();
    const nodes = [node('a', { taints: [{ key: 't', effect: 'NoSchedule' }] }), node('b', {}, {}, '1'), node('c', {}, {}, '1')];
    const r = fw.schedule(newPodInfo(pod('big', {}, '2')), nodes);
    expect('failures' in r && fitErrorMessage(r.numNodes, r.failures)).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {t: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  });

  it('explains an attempt with the first nodes examined and the best scored, the chosen one always, and how many it examined', () => {
    const fw = new Framework();
    const nodes = Array.from({ length: 60 }, (_, i) => node(`n${i}`, {}, {}, i === 45 ? '64' : '4'));
    const explain = { filters: [], scores: [], examined: 0 } as CycleExplain;
    const r = fw.schedule(newPodInfo(pod('p', {}, '1')), nodes, explain);
    // The node with the most room wins on LeastAllocated; it is examined 46th, after the first EXPLAIN_NODES.
    expect(r).toEqual({ node: 'n45' });
    expect(explain.examined).toBe(60);
    expect(explain.filters.length).toBe(EXPLAIN_NODES + 1);
    expect(explain.filters.slice(0, EXPLAIN_NODES).map((f) => f.node)).toEqual(nodes.slice(0, EXPLAIN_NODES).map((n) => n.name));
    expect(explain.filters.at(-1)).toEqual({ node: 'n45', reasons: [] });
    expect(explain.scores.length).toBe(EXPLAIN_NODES);
    expect(explain.scores[0]).toEqual(expect.objectContaining({ node: 'n45' }));
    expect(Object.keys(explain.scores[0].plugins).sort()).toEqual(['InterPodAffinity', 'NodeAffinity', 'NodeResourcesBalancedAllocation', 'NodeResourcesFit', 'PodTopologySpread', 'TaintToleration']);
  });
});
