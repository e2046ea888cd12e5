// TaintToleration: filter out nodes with a NoSchedule / NoExecute taint the pod does not tolerate;
// score nodes by how few PreferNoSchedule taints the pod does not tolerate.
import type { FilterPlugin, ScorePlugin } from '../types';
import { normalize } from '../types';
import { tolerates, untolerated } from '../../api/tolerations';

/** The taint effects the filter keeps pods off by. */
export const TAINT_FILTER_EFFECTS = ['NoSchedule', 'NoExecute'] as const;

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod, node) {
    if (!node.taints.length) return undefined;
    const t = untolerated(pod.tolerations, node.taints, TAINT_FILTER_EFFECTS);
    if (!t) return undefined;
    return { reasons: [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`], unresolvable: true };
  },
};

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
