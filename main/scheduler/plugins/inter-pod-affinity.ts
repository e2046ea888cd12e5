// InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity): spec.affinity.podAffinity and
// podAntiAffinity. Filter: a node passes when (1) each required affinity term has a matching pod in the node's
// domain of the term's topologyKey (the first pod of a group that matches its own terms may go anywhere while no
// pod matches them), (2) no required anti-affinity term of the pod has a matching pod in the node's domain, and
// (3) no existing pod's required anti-affinity term matches the pod while that pod is in the node's domain.
// Score: the weights of the pod's preferred terms for the existing pods they match, of the existing pods' preferred
// terms (and their required affinity terms, at weight 1) that match the pod, summed per domain (anti-affinity
// subtracts), then rescaled to 0..100 between the lowest and highest node.
import type { Pod } from '../../api/types';
import type { AffinityTerm, NamespaceLabels, WeightedAffinityTerm } from '../affinity-terms';
import { matchesAllTerms, termMatches } from '../affinity-terms';
import type { NodeInfo } from '../node-info';
import type { FilterPlugin, PodInfo, PreFilterPlugin, ScorePlugin } from '../types';

export const ERR_AFFINITY_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
/** The weight of an existing pod's required affinity term that matches the pod (the plugin's hardPodAffinityWeight default). */
const HARD_POD_AFFINITY_WEIGHT = 1;

/** Matching pods (or terms) by topology pair `key\0value`. */
type PairCounts = Map<string, number>;

interface Counts {
  /** Pods matching all of the pod's required affinity terms, once per term's pair. */
  affinity: PairCounts;
  /** Pods matching each of the pod's required anti-affinity terms. */
  anti: PairCounts;
  /** Existing pods' required anti-affinity terms that match the pod. */
  existingAnti: PairCounts;
}

export interface InterPodState {
  namespaceLabels: NamespaceLabels;
  /** Whether Filter has anything to check. */
  hard: boolean;
  totals: Counts;
  /** Each node's share of the totals at PreFilter and its generation then (to count it again if it changed since). */
  share: Map<string, { generation: number; counts: Counts }>;
}

const pair = (key: string, value: string): string => `${key}\u0000${value}`;
const unpair = (k: string): { key: string; value: string } => {
  const sep = k.indexOf('\u0000');
  return { key: k.slice(0, sep), value: k.slice(sep + 1) };
};

function add(m: PairCounts, ni: NodeInfo, key: string, n: number): void {
  const v = ni.labels[key];
  if (v === undefined) return;
  const k = pair(key, v);
  const next = (m.get(k) ?? 0) + n;
  if (next === 0) m.delete(k);
  else m.set(k, next);
}

const emptyCounts = (): Counts => ({ affinity: new Map(), anti: new Map(), existingAnti: new Map() });

/** What the node's pods contribute to the pod's PreFilter counts. */
function countNode(pod: PodInfo, ni: NodeInfo, nsl: NamespaceLabels): Counts {
  const c = emptyCounts();
  const terms = pod.interPod;
  const own = terms && (terms.requiredAffinity.length || terms.requiredAntiAffinity.length);
  if (!own && !ni.withRequiredAntiAffinity) return c;
  for (const p of ni.pods.values()) {
    if (own && terms) {
      if (matchesAllTerms(terms.requiredAffinity, p.pod, nsl)) for (const t of terms.requiredAffinity) add(c.affinity, ni, t.topologyKey, 1);
      for (const t of terms.requiredAntiAffinity) if (termMatches(t, p.pod, nsl)) add(c.anti, ni, t.topologyKey, 1);
    }
    for (const t of p.interPod?.requiredAntiAffinity ?? []) if (termMatches(t, pod.pod, nsl)) add(c.existingAnti, ni, t.topologyKey, 1);
  }
  return c;
}

function addAll(into: PairCounts, from: PairCounts, sign: 1 | -1): void {
  for (const [k, n] of from) {
    const next = (into.get(k) ?? 0) + sign * n;
    if (next === 0) into.delete(k);
    else into.set(k, next);
  }
}

export const interPodAffinityPreFilter: PreFilterPlugin = {
  name: 'InterPodAffinity',
  preFilter(pod, nodes, ctx) {
    pod.interPodState = undefined;
    let clusterHasAffinity = false;
    for (const ni of nodes) if (ni.withAffinity) clusterHasAffinity = true;
    if (!pod.interPod && !clusterHasAffinity) return;
    const totals = emptyCounts();
    const share = new Map<string, { generation: number; counts: Counts }>();
    for (const ni of nodes) {
      const counts = countNode(pod, ni, ctx.namespaceLabels);
      share.set(ni.name, { generation: ni.generation, counts });
      addAll(totals.affinity, counts.affinity, 1);
      addAll(totals.anti, counts.anti, 1);
      addAll(totals.existingAnti, counts.existingAnti, 1);
    }
    const required = !!(pod.interPod?.requiredAffinity.length || pod.interPod?.requiredAntiAffinity.length);
    pod.interPodState = { namespaceLabels: ctx.namespaceLabels, hard: required || totals.existingAnti.size > 0, totals, share };
  },
};

/** The totals as they are with this node's pods now (its nominated pods added, or preemption's victims removed). */
function countsFor(pod: PodInfo, s: InterPodState, ni: NodeInfo): Counts {
  const share = s.share.get(ni.name);
  if (!share || share.generation === ni.generation) return s.totals;
  const now = countNode(pod, ni, s.namespaceLabels);
  const c: Counts = { affinity: new Map(s.totals.affinity), anti: new Map(s.totals.anti), existingAnti: new Map(s.totals.existingAnti) };
  for (const k of ['affinity', 'anti', 'existingAnti'] as const) {
    addAll(c[k], share.counts[k], -1);
    addAll(c[k], now[k], 1);
  }
  return c;
}

function satisfiesAffinity(terms: readonly AffinityTerm[], c: Counts, pod: Pod, ni: NodeInfo, nsl: NamespaceLabels): boolean {
  let podsExist = true;
  for (const t of terms) {
    const v = ni.labels[t.topologyKey];
    if (v === undefined) return false; // every topology label must be on the node
    if (!((c.affinity.get(pair(t.topologyKey, v)) ?? 0) > 0)) podsExist = false;
  }
  // The first pod of a group with affinity to itself: no pod matches yet, and it matches its own terms.
  return podsExist || (c.affinity.size === 0 && matchesAllTerms(terms, pod, nsl));
}

function violatesAntiAffinity(terms: readonly AffinityTerm[], c: Counts, ni: NodeInfo): boolean {
  for (const t of terms) {
    const v = ni.labels[t.topologyKey];
    if (v !== undefined && (c.anti.get(pair(t.topologyKey, v)) ?? 0) > 0) return true;
  }
  return false;
}

function violatesExistingAntiAffinity(c: Counts, ni: NodeInfo): boolean {
  for (const [k, n] of c.existingAnti) {
    if (n <= 0) continue;
    const { key, value } = unpair(k);
    if (ni.labels[key] === value) return true;
  }
  return false;
}

export const interPodAffinityFilter: FilterPlugin = {
  name: 'InterPodAffinity',
  filter(pod, ni) {
    const s = pod.interPodState;
    if (!s?.hard) return undefined;
    const c = countsFor(pod, s, ni);
    const terms = pod.interPod;
    if (terms?.requiredAffinity.length && !satisfiesAffinity(terms.requiredAffinity, c, pod.pod, ni, s.namespaceLabels)) {
      return { reasons: [ERR_AFFINITY_NOT_MATCH], unresolvable: true };
    }
    if (terms?.requiredAntiAffinity.length && violatesAntiAffinity(terms.requiredAntiAffinity, c, ni)) {
      return { reasons: [ERR_ANTI_AFFINITY_NOT_MATCH], unresolvable: false };
    }
    if (c.existingAnti.size && violatesExistingAntiAffinity(c, ni)) return { reasons: [ERR_EXISTING_ANTI_AFFINITY_NOT_MATCH], unresolvable: false };
    return undefined;
  },
};

function addTerms(scores: PairCounts, terms: readonly WeightedAffinityTerm[], target: Pod, ni: NodeInfo, nsl: NamespaceLabels, sign: 1 | -1): void {
  for (const t of terms) if (termMatches(t, target, nsl)) add(scores, ni, t.topologyKey, sign * t.weight);
}

/** PreScore + Score + NormalizeScore. */
export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  score(pod, nodes, out, all = nodes) {
    out.fill(0, 0, nodes.length);
    const s = pod.interPodState;
    if (!s) return;
    const nsl = s.namespaceLabels;
    const terms = pod.interPod;
    const preferred = !!(terms?.preferredAffinity.length || terms?.preferredAntiAffinity.length);
    const scores: PairCounts = new Map();
    for (const ni of all) {
      if (!preferred && !ni.withAffinity) continue;
      for (const p of ni.pods.values()) {
        if (preferred && terms) {
          addTerms(scores, terms.preferredAffinity, p.pod, ni, nsl, 1);
          addTerms(scores, terms.preferredAntiAffinity, p.pod, ni, nsl, -1);
        }
        const theirs = p.interPod;
        if (!theirs) continue;
        for (const t of theirs.requiredAffinity) if (termMatches(t, pod.pod, nsl)) add(scores, ni, t.topologyKey, HARD_POD_AFFINITY_WEIGHT);
        addTerms(scores, theirs.preferredAffinity, pod.pod, ni, nsl, 1);
        addTerms(scores, theirs.preferredAntiAffinity, pod.pod, ni, nsl, -1);
      }
    }
    if (!scores.size) return;
    const pairs = [...scores].map(([k, n]) => ({ ...unpair(k), n }));
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < nodes.length; j++) {
      let sum = 0;
      for (const p of pairs) if (nodes[j].labels[p.key] === p.value) sum += p.n;
      out[j] = sum;
      if (sum < min) min = sum;
      if (sum > max) max = sum;
    }
    for (let j = 0; j < nodes.length; j++) out[j] = max > min ? Math.trunc((100 * (out[j] - min)) / (max - min)) : 0;
  },
};
