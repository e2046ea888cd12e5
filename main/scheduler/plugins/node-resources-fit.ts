// NodeResourcesFit: the pod's requests must fit the node's allocatable minus what its pods
// request, and the node's pod count must stay within allocatable pods.
import type { FilterPlugin } from '../types';

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod, node) {
    let reasons: string[] | undefined;
    if (node.pods.size + 1 > node.allocPods) (reasons ??= []).push('Too many pods');
    if (pod.cpuMilli > 0 && pod.cpuMilli > node.allocCpuMilli - node.reqCpu) (reasons ??= []).push('Insufficient cpu');
    if (pod.memBytes > 0 && pod.memBytes > node.allocMem - node.reqMem) (reasons ??= []).push('Insufficient memory');
    return reasons ? { reasons, unresolvable: false } : undefined;
  },
};
