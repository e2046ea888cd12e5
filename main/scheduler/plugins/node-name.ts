// NodeName: a pod that names a node fits only there.
import type { FilterPlugin } from '../types';

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod, node) {
    const want = pod.pod.spec?.nodeName;
    if (!want || want === node.name) return undefined;
    return { reasons: ["node(s) didn't match the requested node name"], unresolvable: true };
  },
};
