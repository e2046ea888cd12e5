// PodTopologySpread and InterPodAffinity through the framework (PreFilter over every node, then Filter and
// Score), on NodeInfos built from plain objects: the skew rule with minDomains and the inclusion policies, the
// three inter-pod affinity rules with namespaces and namespaceSelector, their scores, the fit error's reasons,
// and a node that changed since PreFilter (preemption's victims removed) counted again.
import { describe, expect, it } from 'vitest';
import type { Node, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../../main/api/types';
import { NodeInfo } from '../../../main/scheduler/node-info';
import { newPodInfo } from '../../../main/scheduler/pod-info';
import { Framework } from '../../../main/scheduler/framework';
import { Nominator } from '../../../main/scheduler/nominator';
import { fitErrorMessage } from '../../../main/scheduler/fit-error';
import { interPodAffinityScore } from '../../../main/scheduler/plugins/inter-pod-affinity';
import { podTopologySpreadScore } from '../../../main/scheduler/plugins/pod-topology-spread';
import type { PodInfo } from '../../../main/scheduler/types';

function node(name: string, labels: Record<string, string> = {}, spec: Node['spec'] = {}): NodeInfo {
  return new NodeInfo({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
}

let seq = 0;
function pod(labels: Record<string, string>, spec: Partial<NonNullable<Pod['spec']>> = {}, namespace = 'default', terminating = false): Pod {
  const name = `p${++seq}`;
  return {
    metadata: { name, namespace, uid: `uid-${name}`, labels, ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c' }], ...spec },
  };
}

function place(ni: NodeInfo, ...pods: Pod[]): PodInfo[] {
  return pods.map((p) => {
    const info = newPodInfo(p);
    ni.addPod(info);
    return info;
  });
}

const spread = (c: Partial<TopologySpreadConstraint>): TopologySpreadConstraint => ({
  maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...c,
});

/** Each node's verdict for the pod: undefined when it fits, else its reasons. */
function verdicts(fw: Framework, p: Pod, nodes: NodeInfo[]): Record<string, string[] | undefined> {
  const info = newPodInfo(p);
  fw.preFilter(info, nodes);
  return Object.fromEntries(nodes.map((ni) => [ni.name, fw.filter(info, ni)?.reasons]));
}

function scores(plugin: typeof interPodAffinityScore, fw: Framework, p: Pod, nodes: NodeInfo[]): number[] {
  const info = newPodInfo(p);
  fw.preFilter(info, nodes);
  const out = new Float64Array(nodes.length);
  plugin.score(info, nodes, out, nodes);
  return [...out];
}

const NOT_SPREAD = ["node(s) didn't match pod topology spread constraints"];

describe('PodTopologySpread filter', () => {
  it('keeps the skew between zones within maxSkew, counting only matching, live pods of the namespace', () => {
    const a1 = node('a1', { zone: 'a' }), a2 = node('a2', { zone: 'a' }), b1 = node('b1', { zone: 'b' });
    place(a1, pod({ app: 'web' }), pod({ app: 'web' }));
    place(b1, pod({ app: 'web' }), pod({ app: 'other' }), pod({ app: 'web' }, {}, 'elsewhere'), pod({ app: 'web' }, {}, 'default', true));
    const fw = new Framework();
    const incoming = pod({ app: 'web' }, { topologySpreadConstraints: [spread({})] });
    // zone a holds 2, zone b 1 (other labels, namespaces and terminating pods do not count): only zone b may take one more.
    expect(verdicts(fw, incoming, [a1, a2, b1])).toEqual({ a1: NOT_SPREAD, a2: NOT_SPREAD, b1: undefined });
    // maxSkew 2 allows zone a too.
    expect(verdicts(fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({ maxSkew: 2 })] }), [a1, a2, b1])).toEqual({ a1: undefined, a2: undefined, b1: undefined });
    // A pod its own selector does not match adds nothing to the skew.
    expect(verdicts(fw, pod({ app: 'db' }, { topologySpreadConstraints: [spread({})] }), [a1, b1])).toEqual({ a1: undefined, b1: undefined });
  });

  it('a node without the topology key is unresolvable; hostname spreading counts a cordoned node as a domain', () => {
    const fw = new Framework();
    const n1 = node('n1'), n2 = node('n2', {}, { unschedulable: true }), bare = new NodeInfo({ metadata: { name: 'bare' }, spec: {}, status: { allocatable: { cpu: '8', memory: '8Gi', pods: '110' } } });
    place(n1, pod({ app: 'web' }), pod({ app: 'web' }));
    const incoming = newPodInfo(pod({ app: 'web' }, { topologySpreadConstraints: [spread({ topologyKey: 'kubernetes.io/hostname' })] }));
    fw.preFilter(incoming, [n1, n2, bare]);
    expect(fw.filter(incoming, bare)).toEqual({ reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"], unresolvable: true, plugin: 'PodTopologySpread' });
    // n2 (cordoned, 0 pods) is still a domain: n1 would reach a skew of 3 and is refused; n2 itself fails NodeUnschedulable.
    expect(fw.filter(incoming, n1)).toEqual({ reasons: NOT_SPREAD, unresolvable: false, plugin: 'PodTopologySpread' });
    expect(fw.filter(incoming, n2)?.reasons).toEqual(['node(s) were unschedulable']);
    const res = fw.schedule(incoming, [n1, n2]);
    expect('failures' in res && fitErrorMessage(res.numNodes, res.failures)).toContain("0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) were unschedulable.");
  });

  it('minDomains: fewer eligible domains than minDomains make the global minimum 0', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), b = node('b', { zone: 'b' });
    place(a, pod({ app: 'web' }));
    place(b, pod({ app: 'web' }));
    expect(verdicts(fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({})] }), [a, b])).toEqual({ a: undefined, b: undefined });
    expect(verdicts(fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({ minDomains: 3 })] }), [a, b])).toEqual({ a: NOT_SPREAD, b: NOT_SPREAD });
  });

  it('nodeAffinityPolicy Honor (default) leaves nodes the pod cannot use out of the domains; Ignore counts them', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a', disk: 'ssd' }), b = node('b', { zone: 'b' });
    place(a, pod({ app: 'web' }));
    const withSelector = (c: Partial<TopologySpreadConstraint>) => pod({ app: 'web' }, { nodeSelector: { disk: 'ssd' }, topologySpreadConstraints: [spread(c)] });
    // Honor: zone b is not a domain, so zone a is the minimum itself and may grow.
    expect(verdicts(fw, withSelector({}), [a, b]).a).toBeUndefined();
    expect(verdicts(fw, withSelector({ nodeAffinityPolicy: 'Ignore' }), [a, b]).a).toEqual(NOT_SPREAD);
  });

  it('nodeTaintsPolicy Honor leaves tainted nodes the pod does not tolerate out; Ignore (default) counts them', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), b = node('b', { zone: 'b' }, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    place(a, pod({ app: 'web' }));
    expect(verdicts(fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({})] }), [a, b]).a).toEqual(NOT_SPREAD);
    expect(verdicts(fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({ nodeTaintsPolicy: 'Honor' })] }), [a, b]).a).toBeUndefined();
  });

  it('matchLabelKeys narrows the selector to pods with the same values (one revision at a time)', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), b = node('b', { zone: 'b' });
    place(a, pod({ app: 'web', rev: '1' }), pod({ app: 'web', rev: '1' }));
    const c = spread({ matchLabelKeys: ['rev'] });
    expect(verdicts(fw, pod({ app: 'web', rev: '2' }, { topologySpreadConstraints: [c] }), [a, b])).toEqual({ a: undefined, b: undefined });
    expect(verdicts(fw, pod({ app: 'web', rev: '1' }, { topologySpreadConstraints: [c] }), [a, b]).a).toEqual(NOT_SPREAD);
  });

  it('counts a node again when it changed since PreFilter (a victim removed)', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), b = node('b', { zone: 'b' });
    const [, victim] = place(a, pod({ app: 'web' }), pod({ app: 'web' }));
    const info = newPodInfo(pod({ app: 'web' }, { topologySpreadConstraints: [spread({})] }));
    fw.preFilter(info, [a, b]);
    expect(fw.filter(info, a)?.reasons).toEqual(NOT_SPREAD);
    a.removePod(victim.uid);
    // zone a now holds 1 against zone b's 0: 1 + 1 − 0 = 2 > 1 still; with one more removed it fits.
    expect(fw.filter(info, a)?.reasons).toEqual(NOT_SPREAD);
    a.removePod([...a.pods.keys()][0]);
    expect(fw.filter(info, a)).toBeUndefined();
  });

  it('ScheduleAnyway scores the emptier domain higher; pods without constraints spread by their controller', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), b = node('b', { zone: 'b' });
    place(a, pod({ app: 'web' }), pod({ app: 'web' }));
    const [sa, sb] = scores(podTopologySpreadScore, fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({ whenUnsatisfiable: 'ScheduleAnyway' })] }), [a, b]);
    expect(sb).toBe(100);
    expect(sa).toBeLessThan(sb);
    // Only hard constraints: no preference among the nodes that pass them.
    expect(scores(podTopologySpreadScore, fw, pod({ app: 'web' }, { topologySpreadConstraints: [spread({})] }), [a, b])).toEqual([0, 0]);
  });
});

const term = (labels: Record<string, string>, topologyKey = 'zone', extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector: { matchLabels: labels }, topologyKey, ...extra,
});

describe('InterPodAffinity filter', () => {
  it('required affinity: only domains holding a matching pod; the first pod of a self-affine group goes anywhere', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), a2 = node('a2', { zone: 'a' }), b = node('b', { zone: 'b' });
    const withAffinity = (labels: Record<string, string>) => pod(labels, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' })] } } });
    // Nothing matches yet: a pod that matches its own term may go anywhere, one that does not may go nowhere.
    expect(verdicts(fw, withAffinity({ app: 'cache' }), [a, b])).toEqual({ a: undefined, b: undefined });
    const refused = ["node(s) didn't match pod affinity rules"];
    expect(verdicts(fw, withAffinity({ app: 'web' }), [a, b])).toEqual({ a: refused, b: refused });
    place(a, pod({ app: 'cache' }));
    // The cache pod is in zone a: both nodes of zone a qualify.
    expect(verdicts(fw, withAffinity({ app: 'web' }), [a, a2, b])).toEqual({ a: undefined, a2: undefined, b: refused });
    const info = newPodInfo(withAffinity({ app: 'web' }));
    const res = fw.schedule(info, [b]);
    expect('failures' in res && res.failures).toEqual([{ reasons: refused, unresolvable: true, plugin: 'InterPodAffinity' }]);
  });

  it('required anti-affinity keeps one replica per node; an existing pod\'s anti-affinity keeps matching pods away', () => {
    const fw = new Framework();
    const n1 = node('n1'), n2 = node('n2');
    const anti = (labels: Record<string, string>) => pod(labels, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'kubernetes.io/hostname')] } } });
    place(n1, anti({ app: 'web' }));
    expect(verdicts(fw, anti({ app: 'web' }), [n1, n2])).toEqual({ n1: ["node(s) didn't match pod anti-affinity rules"], n2: undefined });
    // A plain pod with the label: the existing pod's rule refuses it on n1.
    expect(verdicts(fw, pod({ app: 'web' }), [n1, n2])).toEqual({ n1: ["node(s) didn't satisfy existing pods anti-affinity rules"], n2: undefined });
    // Another app is not affected.
    expect(verdicts(fw, pod({ app: 'db' }), [n1, n2])).toEqual({ n1: undefined, n2: undefined });
  });

  it('namespaces: the pod\'s own by default, the listed ones, or those namespaceSelector picks', () => {
    const labels: Record<string, Record<string, string>> = { team: { team: 'x' }, other: {} };
    const fw = new Framework(undefined, undefined, new Nominator(), (ns) => labels[ns]);
    const n1 = node('n1'), n2 = node('n2');
    place(n1, pod({ app: 'web' }, {}, 'team'));
    const anti = (extra: Partial<PodAffinityTerm>) => pod({ app: 'api' }, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'kubernetes.io/hostname', extra)] } } }, 'other');
    expect(verdicts(fw, anti({}), [n1, n2]).n1).toBeUndefined();
    expect(verdicts(fw, anti({ namespaces: ['team'] }), [n1, n2]).n1).toEqual(["node(s) didn't match pod anti-affinity rules"]);
    expect(verdicts(fw, anti({ namespaceSelector: { matchLabels: { team: 'x' } } }), [n1, n2]).n1).toEqual(["node(s) didn't match pod anti-affinity rules"]);
    expect(verdicts(fw, anti({ namespaceSelector: {} }), [n1, n2]).n1).toEqual(["node(s) didn't match pod anti-affinity rules"]);
    expect(verdicts(fw, anti({ namespaceSelector: { matchLabels: { team: 'y' } } }), [n1, n2]).n1).toBeUndefined();
  });

  it('preferred terms score: affinity pulls toward the domain, anti-affinity pushes away, existing pods\' terms count', () => {
    const fw = new Framework();
    const a = node('a', { zone: 'a' }), b = node('b', { zone: 'b' });
    place(a, pod({ app: 'cache' }));
    const pref = (kind: 'podAffinity' | 'podAntiAffinity') => pod({ app: 'web' }, { affinity: { [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term({ app: 'cache' }) }] } } });
    expect(scores(interPodAffinityScore, fw, pref('podAffinity'), [a, b])).toEqual([100, 0]);
    expect(scores(interPodAffinityScore, fw, pref('podAntiAffinity'), [a, b])).toEqual([0, 100]);
    // An existing pod's preferred affinity for the incoming pod's labels pulls it into that pod's zone.
    place(b, pod({ app: 'sidecar' }, { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({ app: 'web' }) }] } } }));
    expect(scores(interPodAffinityScore, fw, pod({ app: 'web' }), [a, b])).toEqual([0, 100]);
    // No terms anywhere that match: no preference.
    expect(scores(interPodAffinityScore, fw, pod({ app: 'db' }), [a, b])).toEqual([0, 0]);
  });
});
