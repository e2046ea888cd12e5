// What keeps a Deployment's pods from being ready: its pods' statuses (ErrImagePull, Pending, …),
// the worst first, for the Workloads list.
import type { Deployment, Pod } from '../../../main/api/types';
import { selectorFromLabelSelector } from '../../../main/api/labels';
import type { Selector } from '../../../main/api/labels';
import { podDisplay, podSummaryText } from './pods';
import type { PodState } from './pods';

export interface WorkloadIssue {
  /** kubectl's STATUS of the pods concerned, e.g. "ImagePullBackOff". */
  status: string;
  state: PodState;
  count: number;
  /** The first such pod's reason in words. */
  detail: string;
}

const SEVERITY: Partial<Record<PodState, number>> = { problem: 0, failed: 1, unknown: 2, pending: 3, starting: 4, terminating: 5 };

/** The pods of a Deployment (its namespace and selector). */
export function podsOf(d: Deployment, pods: Iterable<Pod>): Pod[] {
  let sel: Selector;
  try {
    sel = selectorFromLabelSelector(d.spec?.selector);
  } catch {
    return [];
  }
  if (sel.empty) return [];
  const ns = d.metadata?.namespace ?? 'default';
  const out: Pod[] = [];
  for (const p of pods) if ((p.metadata?.namespace ?? 'default') === ns && sel.matches(p.metadata?.labels)) out.push(p);
  return out;
}

/** The statuses of the pods that are not ready, grouped, the most serious first. */
export function workloadIssues(pods: Pod[]): WorkloadIssue[] {
  const by = new Map<string, WorkloadIssue>();
  for (const p of pods) {
    const d = podDisplay(p);
    if (SEVERITY[d.state] === undefined) continue;
    const cur = by.get(d.status);
    if (cur) cur.count++;
    else by.set(d.status, { status: d.status, state: d.state, count: 1, detail: podSummaryText(d) });
  }
  return [...by.values()].sort((a, b) => (SEVERITY[a.state] ?? 9) - (SEVERITY[b.state] ?? 9) || b.count - a.count);
}
