// NodeUnschedulable: cordoned nodes take no pods, unless the pod tolerates the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { FilterPlugin } from '../types';
import { tolerates } from '../../api/tolerations';

const TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.unschedulable) return undefined;
    if (pod.tolerations.some((t) => tolerates(t, TAINT))) return undefined;
    return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  },
};
