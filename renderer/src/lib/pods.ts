// How a pod looks in the UI: kubectl's STATUS (ErrImagePull, CrashLoopBackOff, ContainerCreating…,
// computed by the same shared code as the API server's table) and a state for its colour.
import type { Pod } from '../../../main/api/types';
import { podStatusSummary } from '../../../main/api/pod-status';

/** 'problem': stuck on an error that the kubelet keeps retrying (image pull, crash loop, config…). */
export type PodState = 'ready' | 'starting' | 'pending' | 'problem' | 'failed' | 'succeeded' | 'terminating' | 'unknown';

export interface PodDisplay {
  state: PodState;
  /** What kubectl's STATUS column shows. */
  status: string;
  /** The reason in words, when the pod says (a container's waiting message, a scheduling failure…). */
  message?: string;
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

export function podDisplay(p: Pod): PodDisplay {
  const s = podStatusSummary(p);
  const status = s.reason || 'Pending';
  const state = stateOf(p, s.reason);
  return { state, status, message: state === 'ready' ? undefined : podProblem(p), restarts: s.restarts };
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
