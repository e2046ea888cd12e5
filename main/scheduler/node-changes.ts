// Which Node updates can make a pending pod schedulable (kube-scheduler's nodeSchedulingPropertiesChange): a change
// of spec.unschedulable, allocatable, labels, taints, annotations or a condition's status. A status write that only
// moves heartbeat times, images or addresses moves no parked pod. And the queueing hint of a Node added or updated.
import type { Node } from '../api/types';
import { taintTolerationFilter, taintTolerationSkipsNode } from './plugins/taint-toleration';
import type { QueueSkip } from './queue';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function conditionStatuses(n: Node): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const c of n.status?.conditions ?? []) out[c.type] = c.status;
  return out;
}

export function nodeSchedulingPropertiesChanged(old: Node, cur: Node): boolean {
  return !!old.spec?.unschedulable !== !!cur.spec?.unschedulable
    || !same(old.status?.allocatable, cur.status?.allocatable)
    || !same(old.metadata?.labels, cur.metadata?.labels)
    || !same(old.spec?.taints, cur.spec?.taints)
    || !same(old.metadata?.annotations, cur.metadata?.annotations)
    || !same(conditionStatuses(old), conditionStatuses(cur));
}

/**
 * The queueing hints of a Node added or updated: the pod stays parked only when every plugin that rejected it says
 * QueueSkip. Only TaintToleration has a hint here; every other plugin's is taken as Queue.
 */
export function nodeChangeSkips(n: Node): QueueSkip {
  const taints = n.spec?.taints ?? [];
  return (info, rejectedBy) => {
    if (!rejectedBy.size) return false;
    for (const p of rejectedBy) if (p !== taintTolerationFilter.name) return false;
    return taintTolerationSkipsNode(info, taints);
  };
}
