// How a pod looks on the map: one state from phase, readiness and deletion.
import type { Pod } from '../../../main/api/types';

export type PodState = 'ready' | 'starting' | 'pending' | 'failed' | 'succeeded' | 'terminating' | 'unknown';

export function podReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function podState(p: Pod): PodState {
  if (p.metadata?.deletionTimestamp) return 'terminating';
  switch (p.status?.phase) {
    case 'Running':
      return podReady(p) ? 'ready' : 'starting';
    case 'Pending':
      return 'pending';
    case 'Failed':
      return 'failed';
    case 'Succeeded':
      return 'succeeded';
    default:
      return p.spec?.nodeName ? 'unknown' : 'pending';
  }
}

export const STATE_LABEL: Record<PodState, string> = {
  ready: 'Running, ready',
  starting: 'Running, not ready',
  pending: 'Pending',
  failed: 'Failed',
  succeeded: 'Completed',
  terminating: 'Terminating',
  unknown: 'Unknown',
};

export function restarts(p: Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
}

/** Why a pod is not running, when it says (waiting reason or a condition's message). */
export function podProblem(p: Pod): string | undefined {
  for (const c of p.status?.containerStatuses ?? []) {
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'ContainerCreating') return `${c.state.waiting.reason}${c.state.waiting.message ? `: ${c.state.waiting.message}` : ''}`;
    if (c.state?.terminated && c.state.terminated.exitCode !== 0) return `exited with ${c.state.terminated.exitCode}${c.state.terminated.reason ? ` (${c.state.terminated.reason})` : ''}`;
  }
  const unsched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return unsched?.message ?? p.status?.message;
}
