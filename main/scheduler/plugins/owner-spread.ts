// Spreading of pods that share a controller (the default spreading of PodTopologySpread /
// SelectorSpread over hostnames): nodes with fewer pods of the same owner score higher.
import type { ScorePlugin } from '../types';
import { normalize } from '../types';

export const ownerSpread: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  score(pod, nodes, out) {
    const owner = pod.ownerUid;
    if (!owner) {
      out.fill(0, 0, nodes.length);
      return;
    }
    for (let i = 0; i < nodes.length; i++) out[i] = nodes[i].owners.get(owner) ?? 0;
    normalize(out, nodes.length, true);
  },
};
