// A node pods can be scheduled to: Ready, and no longer carrying the not-ready taint it was created with
// (TaintNodesByCondition), which the node lifecycle controller takes off a moment after it sees Ready.
import { TAINT_NODE_NOT_READY } from '../../main/api/tolerations';

interface NodeLike {
  spec?: { taints?: Array<{ key?: string }> };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

/** Takes any API object (a Node). */
export function readyForPods(o: object): boolean {
  const n = o as NodeLike;
  const conditions = n.status?.conditions ?? [];
  const taints = n.spec?.taints ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True') && !taints.some((t) => t.key === TAINT_NODE_NOT_READY);
}
