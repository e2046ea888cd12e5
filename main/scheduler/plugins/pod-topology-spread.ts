// PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread): spec.topologySpreadConstraints.
// DoNotSchedule constraints filter: on a node whose domain (its value of topologyKey) holds `n` matching pods,
// n + (1 if the pod matches itself) − the global minimum over the eligible domains must not exceed maxSkew; the
// minimum is 0 while there are fewer eligible domains than minDomains. Eligible nodes carry every constraint's
// key and pass the inclusion policies (nodeAffinityPolicy Honor by default: the pod's nodeSelector and required
// node affinity; nodeTaintsPolicy Ignore by default, Honor: its NoSchedule/NoExecute taints tolerated). Matching
// pods: same namespace, not terminating, selected by labelSelector (+ matchLabelKeys). ScheduleAnyway
// constraints score: fewer matching pods in the node's domain is better. A pod without constraints gets the
// default spreading of the pods of its controller (owner-spread.ts).
import type { Pod } from '../../api/types';
import type { Selector } from '../../api/labels';
import type { NodeInfo } from '../node-info';
import type { FilterPlugin, PodInfo, PreFilterPlugin, ScorePlugin } from '../types';
import { nodeAffinityFilter } from './node-affinity';
import { untolerated } from '../../api/tolerations';
import { ownerSpread } from './owner-spread';
import { selectorWithLabelKeys } from '../affinity-terms';

export const ERR_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_NODE_LABEL_NOT_MATCH = `${ERR_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const HOSTNAME = 'kubernetes.io/hostname';
const TAINT_EFFECTS = ['NoSchedule', 'NoExecute'] as const;

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

/** The two smallest domain counts (upstream's critical paths) and how many domains hold the smallest. */
interface Minimum {
  first: number;
  holders: number;
  second: number;
}

/** The DoNotSchedule constraints' counts at PreFilter, for one cycle. */
export interface SpreadState {
  constraints: Constraint[];
  /** Per constraint: matching pods by domain value, over eligible nodes. */
  counts: Array<Map<string, number>>;
  minimum: Minimum[];
  /** Per eligible node: its generation and its matching pods per constraint when counted (to count again if it changed, e.g. preemption's victims removed). */
  share: Map<string, { generation: number; counts: number[] }>;
}

function constraintsOf(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const labels = pod.metadata?.labels ?? {};
  const out: Constraint[] = [];
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== action) continue;
    out.push({
      maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: selectorWithLabelKeys(c.labelSelector, labels, c.matchLabelKeys), minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor', honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

/** countPodsMatchSelector: an empty selector counts nothing; terminating pods and other namespaces do not count. */
function countMatching(ni: NodeInfo, selector: Selector, namespace: string): number {
  if (selector.empty) return 0;
  let n = 0;
  for (const p of ni.pods.values()) {
    const m = p.pod.metadata;
    if (m?.deletionTimestamp || (m?.namespace ?? '') !== namespace) continue;
    if (selector.matches(m?.labels)) n++;
  }
  return n;
}

function hasAllKeys(ni: NodeInfo, constraints: readonly Constraint[]): boolean {
  return constraints.every((c) => c.topologyKey in ni.labels);
}

function included(c: Constraint, pod: PodInfo, ni: NodeInfo): boolean {
  if (c.honorAffinity && nodeAffinityFilter.filter(pod, ni)) return false;
  if (c.honorTaints && ni.taints.length && untolerated(pod.tolerations, ni.taints, TAINT_EFFECTS)) return false;
  return true;
}

function minimumOf(counts: Map<string, number>): Minimum {
  const m: Minimum = { first: Infinity, holders: 0, second: Infinity };
  for (const v of counts.values()) {
    if (v < m.first) {
      m.second = m.holders ? m.first : m.second;
      m.first = v;
      m.holders = 1;
    } else if (v === m.first) m.holders++;
    else if (v < m.second) m.second = v;
  }
  return m;
}

export const podTopologySpreadPreFilter: PreFilterPlugin = {
  name: 'PodTopologySpread',
  preFilter(pod, nodes) {
    pod.spread = undefined;
    if (!pod.pod.spec?.topologySpreadConstraints?.length) return;
    const constraints = constraintsOf(pod.pod, 'DoNotSchedule');
    if (!constraints.length) return;
    const ns = pod.pod.metadata?.namespace ?? '';
    const counts = constraints.map(() => new Map<string, number>());
    const share = new Map<string, { generation: number; counts: number[] }>();
    for (const ni of nodes) {
      if (!hasAllKeys(ni, constraints)) continue;
      const mine = constraints.map((c, i) => {
        if (!included(c, pod, ni)) return -1;
        const n = countMatching(ni, c.selector, ns);
        const v = ni.labels[c.topologyKey];
        counts[i].set(v, (counts[i].get(v) ?? 0) + n);
        return n;
      });
      share.set(ni.name, { generation: ni.generation, counts: mine });
    }
    pod.spread = { constraints, counts, minimum: counts.map(minimumOf), share };
  },
};

export const podTopologySpreadFilter: FilterPlugin = {
  name: 'PodTopologySpread',
  filter(pod, ni) {
    const s = pod.spread;
    if (!s) return undefined;
    const labels = pod.pod.metadata?.labels ?? {};
    const ns = pod.pod.metadata?.namespace ?? '';
    const share = s.share.get(ni.name);
    const changed = share !== undefined && share.generation !== ni.generation;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = ni.labels[c.topologyKey];
      if (value === undefined) return { reasons: [ERR_NODE_LABEL_NOT_MATCH], unresolvable: true };
      const before = s.counts[i].get(value) ?? 0;
      let count = before;
      // The node changed since PreFilter (its nominated pods added, or preemption's victims removed): count it again.
      if (changed && share.counts[i] >= 0) count = before - share.counts[i] + countMatching(ni, c.selector, ns);
      const m = s.minimum[i];
      const domains = s.counts[i].size;
      let min = before === m.first && m.holders === 1 ? m.second : m.first;
      if (s.counts[i].has(value)) min = Math.min(min, count);
      if (domains < c.minDomains || min === Infinity) min = 0;
      const self = c.selector.matches(labels) ? 1 : 0;
      if (count + self - min > c.maxSkew) return { reasons: [ERR_CONSTRAINTS_NOT_MATCH], unresolvable: false };
    }
    return undefined;
  },
};

/** log(size + 2): a topology with more domains weighs more. */
function normalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** The ScheduleAnyway constraints: Score, then NormalizeScore (nodes without every key score 0 and are left out of the range). */
function scoreSoft(pod: PodInfo, constraints: Constraint[], nodes: NodeInfo[], all: readonly NodeInfo[], out: Float64Array): void {
  const ns = pod.pod.metadata?.namespace ?? '';
  const n = nodes.length;
  const ignored = new Uint8Array(n);
  const domainCounts = constraints.map(() => new Map<string, number>());
  let considered = 0;
  nodes.forEach((ni, j) => {
    if (!hasAllKeys(ni, constraints)) {
      ignored[j] = 1;
      return;
    }
    considered++;
    constraints.forEach((c, i) => {
      if (c.topologyKey !== HOSTNAME) domainCounts[i].set(ni.labels[c.topologyKey], 0);
    });
  });
  const weights = constraints.map((c, i) => normalizingWeight(c.topologyKey === HOSTNAME ? considered : domainCounts[i].size));
  if (constraints.some((c) => c.topologyKey !== HOSTNAME)) {
    for (const ni of all) {
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME || !included(c, pod, ni)) return;
        const v = ni.labels[c.topologyKey];
        const cur = domainCounts[i].get(v);
        if (cur !== undefined) domainCounts[i].set(v, cur + countMatching(ni, c.selector, ns));
      });
    }
  }
  let min = Infinity;
  let max = 0;
  for (let j = 0; j < n; j++) {
    if (ignored[j]) continue;
    const ni = nodes[j];
    let score = 0;
    constraints.forEach((c, i) => {
      const v = ni.labels[c.topologyKey];
      const cnt = c.topologyKey === HOSTNAME ? countMatching(ni, c.selector, ns) : domainCounts[i].get(v) ?? 0;
      score += cnt * weights[i] + (c.maxSkew - 1);
    });
    out[j] = Math.round(score);
    if (out[j] < min) min = out[j];
    if (out[j] > max) max = out[j];
  }
  for (let j = 0; j < n; j++) {
    if (ignored[j]) out[j] = 0;
    else if (max === 0) out[j] = 100;
    else out[j] = Math.trunc((100 * (max + min - out[j])) / max);
  }
}

export const podTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  score(pod, nodes, out, all) {
    if (!pod.pod.spec?.topologySpreadConstraints?.length) return ownerSpread.score(pod, nodes, out);
    const soft = constraintsOf(pod.pod, 'ScheduleAnyway');
    if (!soft.length) {
      out.fill(0, 0, nodes.length);
      return;
    }
    scoreSoft(pod, soft, nodes, all ?? nodes, out);
  },
};
