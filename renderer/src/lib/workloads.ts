// The pods of a workload (a Deployment, StatefulSet, DaemonSet or Job), by its namespace and selector (the Workloads
// list says what keeps them from being ready).
import type { DaemonSet, Deployment, Job, Pod, StatefulSet } from '../../../main/api/types';
import { selectorFromLabelSelector } from '../../../main/api/labels';
import type { Selector } from '../../../main/api/labels';

export function podsOf(d: Deployment | StatefulSet | DaemonSet | Job, pods: Iterable<Pod>): Pod[] {
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
