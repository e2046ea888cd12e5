// NodeAffinity: spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution as a filter;
// preferredDuringSchedulingIgnoredDuringExecution weights as a score.
import type { FilterPlugin, ScorePlugin } from '../types';
import { normalize } from '../types';
import { anyTermMatches, termMatches } from '../../api/node-selector';

export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod, node) {
    const sel = pod.nodeSelector;
    if (sel) for (const k in sel) if (node.labels[k] !== sel[k]) return fail();
    const req = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (req && !anyTermMatches(req.nodeSelectorTerms ?? [], node)) return fail();
    return undefined;
  },
};

function fail() {
  return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
}

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score(pod, nodes, out) {
    const pref = pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!pref?.length) {
      out.fill(0, 0, nodes.length);
      return;
    }
    for (let i = 0; i < nodes.length; i++) {
      let s = 0;
      for (const p of pref) if (p.weight && termMatches(p.preference, nodes[i])) s += p.weight;
      out[i] = s;
    }
    normalize(out, nodes.length, false);
  },
};
