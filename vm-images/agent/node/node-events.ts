// The kubelet's events about its own node (pkg/kubelet/nodestatus/setters.go): a condition that
// changes status ("Node n1 status is now: NodeReady", NodeHasSufficientMemory, …) and a change of
// spec.unschedulable seen on the Node (NodeNotSchedulable after a cordon, NodeSchedulable after an
// uncordon). Pure: the status reporter compares what it wrote before with what it writes now.
import type { NodeCondition } from '../../../main/api/types';

export interface NodeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The reason the kubelet records for a condition's status. */
const REASONS: Record<string, { True: string; False: string }> = {
  Ready: { True: 'NodeReady', False: 'NodeNotReady' },
  MemoryPressure: { True: 'NodeHasInsufficientMemory', False: 'NodeHasSufficientMemory' },
  DiskPressure: { True: 'NodeHasDiskPressure', False: 'NodeHasNoDiskPressure' },
  PIDPressure: { True: 'NodeHasInsufficientPID', False: 'NodeHasSufficientPID' },
};

/** Events for conditions whose status differs from before (a condition new to the node counts as changed). */
export function conditionEvents(node: string, before: NodeCondition[] | undefined, after: NodeCondition[] | undefined): NodeEvent[] {
  const out: NodeEvent[] = [];
  for (const c of after ?? []) {
    const r = REASONS[c.type];
    if (!r || (c.status !== 'True' && c.status !== 'False')) continue;
    if (before?.find((b) => b.type === c.type)?.status === c.status) continue;
    out.push({ type: 'Normal', reason: r[c.status], message: `Node ${node} status is now: ${r[c.status]}` });
  }
  return out;
}

/** The cordon/uncordon event, when spec.unschedulable differs from what was last seen (false before the first look, as the kubelet starts). */
export function schedulableEvent(node: string, lastSeen: boolean, now: boolean): NodeEvent | undefined {
  if (lastSeen === now) return undefined;
  const reason = now ? 'NodeNotSchedulable' : 'NodeSchedulable';
  return { type: 'Normal', reason, message: `Node ${node} status is now: ${reason}` };
}
