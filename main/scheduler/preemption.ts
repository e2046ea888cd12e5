// DefaultPreemption's PostFilter decisions (pkg/scheduler/framework/plugins/defaultpreemption and
// framework/preemption), pure: whether a pod may preempt, which lower-priority pods to evict on a
// node (all of them removed, then as many as possible reprieved, PDB-violating ones first, most
// important first), and which candidate node to pick. The API side is in preempt-apply.ts.
import type { Pod, PodDisruptionBudget } from '../api/types';
import { pdbSelector } from '../api/disruption';
import type { NodeInfo } from './node-info';
import type { FilterFailure, PodInfo } from './types';

export interface Candidate {
  node: string;
  /** Most important first. */
  victims: PodInfo[];
  numPDBViolations: number;
}

type Fits = (pod: PodInfo, ni: NodeInfo) => FilterFailure | undefined;

/** PodEligibleToPreemptOthers: a reason when the pod must not preempt, else undefined. */
export function notEligible(pod: PodInfo, terminatingLowerOnNominated: boolean): string | undefined {
  if (!pod.preempts) return 'not eligible due to preemptionPolicy=Never.';
  if (terminatingLowerOnNominated) return 'not eligible due to a terminating pod on the nominated node.';
  return undefined;
}

function startMs(p: PodInfo): number {
  const t = p.pod.status?.startTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? Date.now() : ms;
}

/** MoreImportantPod: higher priority, then the earlier start. */
export function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startMs(a) - startMs(b);
}

/** filterPodsWithPDBViolation: splits pods into those whose eviction would exceed a budget and the rest. */
export function splitByPDB(pods: PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((b) => b.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violates = false;
    const labels = p.pod.metadata?.labels ?? {};
    if (Object.keys(labels).length) {
      pdbs.forEach((b, i) => {
        if (b.metadata?.namespace !== p.pod.metadata?.namespace) return;
        const sel = pdbSelector(b);
        // A budget with an empty selector matches nothing here, as upstream.
        if (!sel || isEmptySelector(b) || !sel.matches(labels)) return;
        if (b.status?.disruptedPods?.[p.pod.metadata?.name ?? '']) return;
        allowed[i]--;
        if (allowed[i] < 0) violates = true;
      });
    }
    (violates ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

function isEmptySelector(b: PodDisruptionBudget): boolean {
  const s = b.spec?.selector;
  return !s || (!Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length);
}

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

/**
 * SelectVictimsOnNode: removes every lower-priority pod from the node, checks the preemptor fits,
 * then reprieves pods (PDB-violating first, most important first) while it still fits. The NodeInfo
 * is restored before returning. Without a candidate, the node's status message instead.
 */
export function selectVictimsOnNode(pod: PodInfo, ni: NodeInfo, fits: Fits, pdbs: readonly PodDisruptionBudget[]): Candidate | string {
  const lower = [...ni.pods.values()].filter((p) => p.priority < pod.priority);
  if (!lower.length) return NO_VICTIMS;
  for (const p of lower) ni.removePod(p.uid);
  const removed = new Set(lower.map((p) => p.uid));
  try {
    const still = fits(pod, ni);
    if (still) return still.reasons.join(', ');
    lower.sort(moreImportant);
    const { violating, nonViolating } = splitByPDB(lower, pdbs);
    const victims: PodInfo[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: PodInfo): boolean => {
      ni.addPod(p);
      removed.delete(p.uid);
      if (!fits(pod, ni)) return true;
      ni.removePod(p.uid);
      removed.add(p.uid);
      victims.push(p);
      return false;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    victims.sort(moreImportant);
    return victims.length ? { node: ni.name, victims, numPDBViolations } : NO_VICTIMS;
  } finally {
    for (const p of lower) if (removed.has(p.uid)) ni.addPod(p);
  }
}

/** Earliest start among the victims of the highest priority (GetEarliestPodStartTime). */
function earliestTopStart(c: Candidate): number {
  const top = c.victims[0].priority;
  let t = Infinity;
  for (const v of c.victims) if (v.priority === top) t = Math.min(t, startMs(v));
  return t;
}

function keepBest(cands: Candidate[], score: (c: Candidate) => number): Candidate[] {
  let best = -Infinity;
  let out: Candidate[] = [];
  for (const c of cands) {
    const s = score(c);
    if (s > best) {
      best = s;
      out = [c];
    } else if (s === best) out.push(c);
  }
  return out;
}

const PRIORITY_OFFSET = 2 ** 31; // MaxInt32 + 1: keeps negative priorities from lowering the sum

/**
 * pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority victim, the
 * lowest sum of priorities, the fewest victims, the latest start of the highest-priority victims,
 * then the first candidate.
 */
export function pickCandidate(cands: Candidate[]): Candidate | undefined {
  let c = keepBest(cands, (x) => -x.numPDBViolations);
  if (c.length > 1) c = keepBest(c, (x) => -x.victims[0].priority);
  if (c.length > 1) c = keepBest(c, (x) => -x.victims.reduce((s, v) => s + v.priority + PRIORITY_OFFSET, 0));
  if (c.length > 1) c = keepBest(c, (x) => -x.victims.length);
  if (c.length > 1) c = keepBest(c, earliestTopStart);
  return c[0];
}

/**
 * findCandidates + SelectCandidate over the nodes whose failure preemption may resolve. Without a
 * candidate, the FitError message of the dry run ("0/3 nodes are available: 1 No preemption victims
 * found for incoming pod, 2 Preemption is not helpful for scheduling.").
 */
export function findCandidate(pod: PodInfo, nodes: NodeInfo[], fits: Fits, pdbs: readonly PodDisruptionBudget[]): Candidate | string {
  const cands: Candidate[] = [];
  const hist = new Map<string, number>();
  for (const ni of nodes) {
    const f = fits(pod, ni);
    const c = !f || f.unresolvable ? NOT_HELPFUL : selectVictimsOnNode(pod, ni, fits, pdbs);
    if (typeof c === 'string') hist.set(c, (hist.get(c) ?? 0) + 1);
    else cands.push(c);
  }
  const best = pickCandidate(cands);
  if (best) return best;
  const parts = [...hist].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${nodes.length} nodes are available${parts.length ? `: ${parts.join(', ')}.` : '.'}`;
}

/** Whether a pod is terminating on the node with lower priority than the preemptor (wait for it instead of preempting again). */
export function terminatingLowerOn(pod: PodInfo, ni: NodeInfo | undefined): boolean {
  if (!ni) return false;
  for (const p of ni.pods.values()) if (p.priority < pod.priority && isTerminating(p.pod)) return true;
  return false;
}

function isTerminating(p: Pod): boolean {
  return !!p.metadata?.deletionTimestamp;
}
