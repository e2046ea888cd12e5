// TaintToleration: filter out nodes with a NoSchedule / NoExecute taint the pod does not tolerate;
// score nodes by how few PreferNoSchedule taints the pod does not tolerate.
import type { Taint } from '../../api/types';
import type { FilterPlugin, PodInfo, ScorePlugin } from '../types';
import { normalize } from '../types';
import { tolerates, untolerated } from '../../api/tolerations';

const FILTER_EFFECTS = ['NoSchedule', 'NoExecute'] as const;

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod, node) {
    if (!node.taints.length) return undefined;
    const t = untolerated(pod.tolerations, node.taints, FILTER_EFFECTS);
    if (!t) return undefined;
    return { reasons: [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`], unresolvable: true };
  },
};

/**
 * Its queueing hint for a Node added or updated (isSchedulableAfterNodeChange): QueueSkip (true) while the pod still
 * does not tolerate the node's taints.
 */
export function taintTolerationSkipsNode(pod: PodInfo, taints: Taint[]): boolean {
  return !!untolerated(pod.tolerations, taints, FILTER_EFFECTS);
}

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(pod, nodes, out) {
    for (let i = 0; i < nodes.length; i++) {
      let n = 0;
      for (const taint of nodes[i].taints) {
        if (taint.effect === 'PreferNoSchedule' && !pod.tolerations.some((t) => (!t.effect || t.effect === 'PreferNoSchedule') && tolerates(t, taint))) n++;
      }
      out[i] = n;
    }
    normalize(out, nodes.length, true);
  },
};
