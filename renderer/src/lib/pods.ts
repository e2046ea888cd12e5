// How a pod looks in the UI: kubectl's STATUS (ErrImagePull, CrashLoopBackOff, ContainerCreating…,
// computed by the same shared code as the API server's table) and a state for its colour.
import type { Pod } from '../../../main/api/types';
import { podStatusSummary } from '../../../main/api/pod-status';
import { podHint } from './pod-hints';

/** 'problem': stuck on an error that the kubelet keeps retrying (image pull, crash loop, config…). */
export type PodState = 'ready' | 'starting' | 'pending' | 'problem' | 'failed' | 'succeeded' | 'terminating' | 'unknown';

export interface PodDisplay {
  state: PodState;
  /** What kubectl's STATUS column shows. */
  status: string;
  /** The reason in words, when the pod says (a container's waiting message, a scheduling failure…). */
  message?: string;
  /** What that means and what to do, for someone new to Kubernetes (common problems only). */
  hint?: string;
  restarts: number;
}

/** Reasons that mean "on its way", not trouble. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing', 'NotReady', 'Running', 'Completed']);

export function podReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function stateOf(p: Pod, status: string): PodState {
  if (p.metadata?.deletionTimestamp) return 'terminating';
  const phase = p.status?.phase;
  if (phase === 'Failed') return 'failed';
  if (phase === 'Succeeded') return 'succeeded';
  if (status === 'Running' && podReady(p)) return 'ready';
  if (status === 'Pending' || status === 'SchedulingGated' || status === '') return 'pending';
  if (status === 'Unknown') return 'unknown';
  if (STARTING.has(status) || /^Init:\d+\/\d+$/.test(status)) return 'starting';
  return 'problem';
}

/** Why a pod is not running, when it says (waiting reason or a condition's message). */
export function podProblem(p: Pod): string | undefined {
  for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const w = c.state?.waiting;
    if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') return `${w.reason}${w.message ? `: ${w.message}` : ''}`;
    const t = c.state?.terminated;
    if (t && t.exitCode !== 0) return `exited with ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message}` : ''}`;
  }
  const unsched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return unsched?.message ?? p.status?.message;
}

/** What a container on its way says, e.g. the agent's pull progress ("Pulling image "X": 12.3 MB so far"). */
export function podProgress(p: Pod): string | undefined {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  return all.find((c) => c.state?.waiting?.reason === 'ContainerCreating' && c.state.waiting.message)?.state?.waiting?.message;
}

/** Displays by pod object: the informers replace a pod's object when it changes, never change it in place. */
const displayed = new WeakMap<Pod, Readonly<PodDisplay>>();

/** How a pod is shown (made once per pod object). */
export function podDisplay(p: Pod): Readonly<PodDisplay> {
  let d = displayed.get(p);
  if (!d) displayed.set(p, (d = displayOf(p)));
  return d;
}

function displayOf(p: Pod): PodDisplay {
  const s = podStatusSummary(p);
  const status = s.reason || 'Pending';
  const state = stateOf(p, s.reason);
  const trouble = state === 'problem' || state === 'failed';
  return { state, status, message: state === 'ready' ? undefined : podProblem(p) ?? podProgress(p), hint: trouble ? podHint(p, status) : undefined, restarts: s.restarts };
}

export function podState(p: Pod): PodState {
  return podDisplay(p).state;
}

/** The pill colour of each state (the chips use `chip-<state>`). */
export const STATE_TONE: Record<PodState, 'ok' | 'warn' | 'pending' | 'bad' | 'idle'> = {
  ready: 'ok',
  starting: 'warn',
  pending: 'pending',
  problem: 'bad',
  failed: 'bad',
  succeeded: 'idle',
  terminating: 'idle',
  unknown: 'idle',
};

/** A one-line description: "ImagePullBackOff: Back-off pulling image …". */
export function podSummaryText(d: PodDisplay): string {
  return d.message && !d.message.startsWith(d.status) ? `${d.status}: ${d.message}` : d.message ?? d.status;
}

/** Pods sharing one not-ready STATUS. */
export interface PodIssue {
  /** kubectl's STATUS of the pods concerned, e.g. "ImagePullBackOff". */
  status: string;
  state: PodState;
  count: number;
  /** The first such pod's reason in words. */
  detail: string;
}

const SEVERITY: Partial<Record<PodState, number>> = { problem: 0, failed: 1, unknown: 2, pending: 3, starting: 4, terminating: 5 };

/** The statuses of the pods that are not ready, grouped, the most serious first. */
export function podIssues(pods: Iterable<Pod>): PodIssue[] {
  const by = new Map<string, PodIssue>();
  for (const p of pods) {
    const d = podDisplay(p);
    if (SEVERITY[d.state] === undefined) continue;
    const cur = by.get(d.status);
    if (cur) cur.count++;
    else by.set(d.status, { status: d.status, state: d.state, count: 1, detail: podSummaryText(d) });
  }
  return [...by.values()].sort((a, b) => (SEVERITY[a.state] ?? 9) - (SEVERITY[b.state] ?? 9) || b.count - a.count);
}
