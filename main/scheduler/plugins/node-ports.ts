// NodePorts: a pod's hostPorts must be free on the node.
import type { FilterPlugin } from '../types';

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(pod, node) {
    if (!pod.hostPorts.length || !node.ports.size) return undefined;
    for (const p of pod.hostPorts) {
      if (node.ports.has(p)) return { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
    }
    return undefined;
  },
};
