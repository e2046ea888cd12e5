// The TaintNodesByCondition admission plugin (plugin/pkg/admission/nodetaint): a Node is created with the
// node.kubernetes.io/not-ready:NoSchedule taint (unless it has it already), so that no pod is scheduled onto a
// node that has not yet reported Ready; the node lifecycle controller removes it once Ready is True.
import type { KObject, Taint } from '../../../api/types';
import { TAINT_NODE_NOT_READY } from '../../../api/tolerations';

export function admitNodeTaint(node: KObject): void {
  const spec = (node.spec ??= {}) as { taints?: Taint[] };
  // Taints match by key and effect (MatchTaint).
  if ((spec.taints ?? []).some((t) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule')) return;
  spec.taints = [...(spec.taints ?? []), { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' }];
}
