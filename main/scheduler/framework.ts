// One scheduling cycle: filter nodes (searching from a rotating start and stopping once enough
// feasible nodes are found, as percentageOfNodesToScore does), score the feasible ones with the
// weighted score plugins, and pick the best (ties broken at random).
import type { NodeInfo } from './node-info';
import { Nominator } from './nominator';
import { nodeAffinityFilter, nodeAffinityScore } from './plugins/node-affinity';
import { nodeName } from './plugins/node-name';
import { nodePorts } from './plugins/node-ports';
import { nodeResourcesFit } from './plugins/node-resources-fit';
import { nodeUnschedulable } from './plugins/node-unschedulable';
import { taintTolerationFilter, taintTolerationScore } from './plugins/taint-toleration';
import { leastAllocated } from './plugins/least-allocated';
import { balancedAllocation } from './plugins/balanced-allocation';
import { podTopologySpreadFilter, podTopologySpreadPreFilter, podTopologySpreadScore } from './plugins/pod-topology-spread';
import { interPodAffinityFilter, interPodAffinityPreFilter, interPodAffinityScore } from './plugins/inter-pod-affinity';
import { volumeBindingFilter } from './plugins/volume-binding';
import type { NamespaceLabels } from './affinity-terms';
import type { CycleContext, FilterFailure, FilterPlugin, PodInfo, PreFilterPlugin, ScorePlugin } from './types';

/** PreFilter plugins that count over every node (VolumeBinding's, which reads the API's objects, runs in the scheduler before). */
export const PRE_FILTERS: readonly PreFilterPlugin[] = [podTopologySpreadPreFilter, interPodAffinityPreFilter];
export const FILTERS: readonly FilterPlugin[] = [
  nodeUnschedulable, nodeName, taintTolerationFilter, nodeAffinityFilter, nodePorts, nodeResourcesFit, volumeBindingFilter,
  podTopologySpreadFilter, interPodAffinityFilter,
];
export const SCORES: readonly ScorePlugin[] = [
  taintTolerationScore, nodeAffinityScore, leastAllocated, balancedAllocation, podTopologySpreadScore, interPodAffinityScore,
];

const MIN_FEASIBLE = 100;

/** numFeasibleNodesToFind with the adaptive percentage (50% - nodes/125, at least 5%). */
export function feasibleToFind(numNodes: number): number {
  if (numNodes < MIN_FEASIBLE) return numNodes;
  const pct = Math.max(5, 50 - numNodes / 125);
  return Math.max(MIN_FEASIBLE, Math.floor((numNodes * pct) / 100));
}

export type CycleResult = { node: string } | { failures: FilterFailure[]; numNodes: number };

/**
 * How many nodes' verdicts an attempt's explanation keeps: the first examined, and the best scored with the
 * plugins' shares (the chosen node always). With a thousand nodes, recording every verdict cost the scheduler
 * most of its time, and no reader goes through them all.
 */
export const EXPLAIN_NODES = 10;

/** What a cycle found, for the pod's journey (filled only when asked): nodes' filter verdicts and scored nodes' plugin scores. */
export interface CycleExplain {
  filters: Array<{ node: string; reasons: string[] }>;
  scores: Array<{ node: string; total: number; plugins: Record<string, number> }>;
  /** Nodes the cycle examined (`filters` holds the first EXPLAIN_NODES of them, and the chosen one). */
  examined: number;
}

export class Framework {
  private nextStart = 0;
  private scratch = new Float64Array(0);
  private total = new Float64Array(0);

  private readonly ctx: CycleContext;

  constructor(
    private readonly filters = FILTERS,
    private readonly scores = SCORES,
    readonly nominator = new Nominator(),
    namespaceLabels: NamespaceLabels = () => undefined,
    private readonly preFilters = PRE_FILTERS,
  ) {
    this.ctx = { namespaceLabels };
  }

  /** The PreFilter plugins' state for the pod over these nodes (schedule() runs it; preemption relies on it). */
  preFilter(pod: PodInfo, nodes: readonly NodeInfo[]): void {
    for (const p of this.preFilters) p.preFilter(pod, nodes, this.ctx);
  }

  schedule(pod: PodInfo, nodes: NodeInfo[], explain?: CycleExplain): CycleResult {
    const n = nodes.length;
    this.preFilter(pod, nodes);
    const want = feasibleToFind(n);
    const feasible: NodeInfo[] = [];
    const failures: FilterFailure[] = [];
    // A pod that names its node only needs that node.
    let processed = 0;
    const start = n ? this.nextStart % n : 0;
    for (; processed < n && feasible.length < want; processed++) {
      const ni = nodes[(start + processed) % n];
      const f = this.filter(pod, ni);
      if (f) failures.push(f);
      else feasible.push(ni);
      if (explain && explain.filters.length < EXPLAIN_NODES) explain.filters.push({ node: ni.name, reasons: f?.reasons ?? [] });
    }
    this.nextStart = n ? (start + processed) % n : 0;
    if (explain) explain.examined = processed;
    if (!feasible.length) return { failures, numNodes: n };
    const node = feasible.length === 1 ? feasible[0].name : this.pickBest(pod, feasible, nodes, explain);
    if (explain && !explain.filters.some((f) => f.node === node)) explain.filters.push({ node, reasons: [] });
    return { node };
  }

  /** Runs the Filter plugins, counting the node's nominated pods of equal or higher priority. */
  filter(pod: PodInfo, ni: NodeInfo): FilterFailure | undefined {
    if (!this.nominator.size) return this.runFilters(pod, ni);
    const added = this.nominator.addTo(pod, ni);
    try {
      return this.runFilters(pod, ni);
    } finally {
      for (const p of added) ni.removePod(p.uid);
    }
  }

  private runFilters(pod: PodInfo, ni: NodeInfo): FilterFailure | undefined {
    for (const f of this.filters) {
      const r = f.filter(pod, ni);
      if (r) return { reasons: r.reasons, unresolvable: r.unresolvable, plugin: f.name };
    }
    return undefined;
  }

  private pickBest(pod: PodInfo, nodes: NodeInfo[], all: readonly NodeInfo[], explain?: CycleExplain): string {
    const n = nodes.length;
    if (this.scratch.length < n) {
      this.scratch = new Float64Array(n * 2);
      this.total = new Float64Array(n * 2);
    }
    const total = this.total;
    total.fill(0, 0, n);
    const weighted = explain ? this.scores.map(() => new Float64Array(n)) : undefined;
    this.scores.forEach((s, k) => {
      s.score(pod, nodes, this.scratch, all);
      const w = weighted?.[k];
      for (let i = 0; i < n; i++) {
        const v = this.scratch[i] * s.weight;
        total[i] += v;
        if (w) w[i] = v;
      }
    });
    const best = this.highest(total, n);
    if (explain && weighted) {
      for (const i of topIndexes(total, n, EXPLAIN_NODES, best)) {
        const plugins: Record<string, number> = {};
        this.scores.forEach((s, k) => (plugins[s.name] = Math.round(weighted[k][i])));
        explain.scores.push({ node: nodes[i].name, total: Math.round(total[i]), plugins });
      }
    }
    return nodes[best].name;
  }

  /** The index of the highest total, ties broken at random. */
  private highest(total: Float64Array, n: number): number {
    let best = -1;
    let bestScore = -Infinity;
    let ties = 0;
    for (let i = 0; i < n; i++) {
      const s = total[i];
      if (s > bestScore + 1e-9) {
        bestScore = s;
        best = i;
        ties = 1;
      } else if (Math.abs(s - bestScore) <= 1e-9) {
        ties++;
        if (Math.random() * ties < 1) best = i; // reservoir sampling among equals
      }
    }
    return best;
  }
}

/** The indexes of the `k` highest of `values[0..n)`, highest first, with `must` among them. */
function topIndexes(values: Float64Array, n: number, k: number, must: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    if (top.length === k && values[i] <= values[top[k - 1]]) continue;
    let j = top.length < k ? top.length : k - 1;
    while (j > 0 && values[top[j - 1]] < values[i]) {
      if (j < k) top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  if (!top.includes(must)) top[top.length - 1] = must;
  return top;
}
